#pragma once
// Private: the merge loops of the BPE tokenizers, O(n log n) in the number of symbols. Symbols
// sit in a doubly linked list; candidate pairs wait in a priority queue and are checked for
// staleness when popped (a symbol that was merged since carries a new version), so each merge
// costs O(log n) instead of a rescan of every pair.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae::bpe {

// Rank-ordered BPE (GPT-2, Hugging Face BPE models): repeatedly take the pair of adjacent parts
// with the lowest rank in `ranks` (keyed "left right") and merge every occurrence of that exact
// pair, left to right without overlap, until no adjacent pair has a rank. The result equals the
// reference loop that rescans all pairs per step.
std::vector<std::string> mergeByRank(std::vector<std::string> parts, const std::unordered_map<std::string, int>& ranks);

// Score-ordered BPE (llama2.c's SentencePiece encoder): repeatedly merge the one adjacent pair
// whose concatenated piece is in `ids` with the highest score (leftmost among equals; scores not
// above -1e10 and NaN never merge). `tokens` holds ids into `pieces`/`scores`.
void mergeByScore(std::vector<std::int32_t>& tokens, const std::vector<std::string>& pieces,
                  const std::vector<float>& scores, const std::unordered_map<std::string, std::int32_t>& ids);

} // namespace uae::bpe

#pragma once
// Sharded labeling (uae label --shard I/N): N labelers, each on its own machine and into its own
// workspace file, label disjoint shares of a split that together cover it; uae merge joins them.
// The share is deterministic and balanced: the questions (the first --limit of them, in data
// order) are sorted by id and dealt round-robin, so shard I takes sorted positions I, I+N, I+2N...
// Shares differ by at most one question and depend only on the ids, not on file order or on
// which machine runs the shard.
#include "uae/result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace uae {

struct Shard {
    int index = 0; // 0-based
    int count = 1; // 1: the whole split
};

// "I/N" with 0 <= I < N <= 100000; empty text is the whole split (0/1).
Result<Shard> parseShard(const std::string& text);
// What is wrong with a --shard value, or empty (the field table's check).
std::string shardProblem(const std::string& text);
std::string toString(Shard shard); // "I/N"

// Positions into `ids` (a split's question ids in data order) that the shard takes, ascending:
// data order is kept, so a paper's questions stay together for the scorer.
std::vector<size_t> shardPositions(const std::vector<std::string>& ids, Shard shard);

} // namespace uae

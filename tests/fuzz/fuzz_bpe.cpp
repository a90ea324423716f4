// Hugging Face BPE tokenizer.json (byte-level GPT-2/Llama 3/Qwen2 and SentencePiece-style): the
// loader, then encode/decode of a fixed text with whatever it accepted.
#include "fuzz_support.h"
#include "uae/lm_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = uae::fuzz::writeScratch("tokenizer.json", data, size);
    auto tok = uae::TokenizerByteBpe::fromTokenizerJson(path);
    if (!tok)
        return 0;
    const auto ids = tok.value()->encode(" Hello world's 12345 \xe2\x96\x81x caf\xc3\xa9\n\n<s>\xf0\x9f\x98\x80", true);
    (void)tok.value()->decode(ids);
    (void)tok.value()->decode({-1, 0, 1, 2, 1 << 30});
    return 0;
}

// llama2.c tokenizer.bin. The first two bytes (little-endian, mod 4096) are the vocabulary size the
// model header would give; the rest is the file. An accepted tokenizer encodes and decodes text.
#include "fuzz_support.h"
#include "uae/lm_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const int vocab = (data[0] | (data[1] << 8)) % 4096;
    const auto path = uae::fuzz::writeScratch("tokenizer.bin", data + 2, size - 2);
    auto tok = uae::TokenizerLlama2c::load(path, vocab);
    if (!tok)
        return 0;
    const auto ids = tok.value()->encode("Once upon a time, caf\xc3\xa9 \xff\xfe!", true);
    (void)tok.value()->decode(ids);
    (void)tok.value()->decode({-5, 0, 1, 2, 3, 300, 1 << 20});
    return 0;
}

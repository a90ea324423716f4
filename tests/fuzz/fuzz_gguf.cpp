// GGUF: header, key/values, tensor infos and data ranges; then what the app does with an accepted
// file: describe every key, dequantise every tensor it can, build the file's own BPE tokenizer.
#include "fuzz_support.h"
#include "uae/gguf.h"
#include "uae/lm_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = uae::fuzz::writeScratch("model.gguf", data, size);
    auto file = uae::GgufFile::open(path);
    if (!file)
        return 0;
    const auto& f = *file.value();
    for (const auto& [key, value] : f.metadata())
        (void)f.describe(key);
    for (const auto& t : f.tensors())
        if (uae::ggmlCanDequantize(t.type))
            (void)f.readFloat32(t.name);
    if (auto tok = uae::TokenizerByteBpe::fromGguf(f)) {
        const auto ids = tok.value()->encode("Hello world, 12345 <s> caf\xc3\xa9!", true);
        (void)tok.value()->decode(ids);
    }
    return 0;
}

// WordPiece (BERT) tokenizers. The first byte picks the file the rest becomes: 0 tokenizer.json,
// 1 vocab.txt, 2 tokenizer_config.json next to the fixture's vocab.txt (through fromModelDir).
// An accepted tokenizer then encodes a fixed text and a pair.
#include "fuzz_support.h"
#include "uae/tokenizer_wordpiece.h"

#include <filesystem>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    const auto dir = uae::fuzz::scratchDir() / "wordpiece";
    static const bool made = [&] {
        fs::create_directories(dir);
        fs::copy_file(UAE_FUZZ_DATA_DIR "/bert-tiny/vocab.txt", dir / "vocab.txt",
                      fs::copy_options::overwrite_existing);
        return true;
    }();
    (void)made;
    uae::Result<std::unique_ptr<uae::TokenizerWordPiece>> tok = uae::fail("");
    switch (data[0] % 3) {
    case 0:
        tok = uae::TokenizerWordPiece::fromTokenizerJson(uae::fuzz::writeScratch("tokenizer.json", data + 1, size - 1));
        break;
    case 1:
        tok = uae::TokenizerWordPiece::fromVocabFile(uae::fuzz::writeScratch("vocab.txt", data + 1, size - 1));
        break;
    default:
        uae::fuzz::writeInput(dir / "tokenizer_config.json", data + 1, size - 1);
        tok = uae::TokenizerWordPiece::fromModelDir(dir.string());
        break;
    }
    if (tok) {
        (void)tok.value()->encode("Hello, WORLD! Caf\xc3\xa9 na\xc3\xafve \xe4\xb8\xad\xe6\x96\x87 [MASK] unaffable",
                                  16);
        (void)tok.value()->encodePair("what is it?", "a paragraph [SEP] of text", 12);
    }
    return 0;
}

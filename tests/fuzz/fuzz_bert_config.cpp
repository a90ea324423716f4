// BERT config.json and the sentence-transformers files beside it. The first byte picks the file
// the rest becomes (0 config.json; 1 modules.json, 2 1_Pooling/config.json,
// 3 sentence_bert_config.json, 4 config_sentence_transformers.json next to the fixture's config).
#include "fuzz_support.h"
#include "uae/bert_config.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace {

const char* const kFiles[] = {"config.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json",
                              "config_sentence_transformers.json"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    const auto dir = uae::fuzz::scratchDir() / "bert";
    const fs::path fixture = UAE_FUZZ_DATA_DIR "/bert-tiny";
    // Start each input from the fixture's files (absent ones stay absent), then replace one.
    fs::create_directories(dir / "1_Pooling");
    for (const char* name : kFiles) {
        std::error_code ec;
        if (fs::exists(fixture / name))
            fs::copy_file(fixture / name, dir / name, fs::copy_options::overwrite_existing);
        else
            fs::remove(dir / name, ec);
    }
    uae::fuzz::writeInput(dir / kFiles[data[0] % 5], data + 1, size - 1);
    (void)uae::BertConfig::load(dir.string());
    return 0;
}

// BEIR folders (corpus.jsonl, queries.jsonl, qrels/test.tsv) as `uae data --format beir` reads
// them. One input holds the three files separated by NUL bytes, so the fuzzer mutates all three
// and their cross references (query and document ids) together.
#include "fuzz_support.h"
#include "uae/beir.h"

#include <filesystem>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto dir = uae::fuzz::scratchDir() / "beir";
    std::filesystem::create_directories(dir / "qrels");
    const char* files[] = {"corpus.jsonl", "queries.jsonl", "qrels/test.tsv"};
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) {
        std::size_t end = i < 2 ? input.find('\0', start) : std::string_view::npos;
        if (end == std::string_view::npos)
            end = size;
        const auto* part = data + std::min(start, size);
        uae::fuzz::writeInput(dir / files[i], part, end > start ? end - start : 0);
        start = end + 1;
    }
    auto dataset = uae::loadBeir(dir.string(), "test");
    if (dataset)
        for (const auto& q : dataset->questions)
            (void)dataset->paperOf(q);
    return 0;
}

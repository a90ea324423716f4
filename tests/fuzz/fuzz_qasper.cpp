// QASPER JSON: the official layout, parsed and mapped (evidence to paragraphs) as `uae` loads it.
#include "fuzz_support.h"
#include "uae/qasper.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = uae::fuzz::writeScratch("qasper-dev-v0.3.json", data, size);
    auto dataset = uae::loadQasper(path, "dev");
    if (dataset)
        for (const auto& q : dataset->questions)
            (void)dataset->paperOf(q);
    return 0;
}

// TREC run files as `uae import-run` reads them: the syntax (readTrecRun), then the tie to the
// fixture split in both pools (mapTrecRun), where docnos name paragraphs and question ids name
// questions, so mutated ids, indices and scores reach the mapping and the ranking.
#include "fuzz_support.h"
#include "uae/qasper.h"
#include "uae/trec_run.h"

#include <cstdlib>
#include <memory>

namespace {

const uae::Dataset& fixture() {
    static const std::unique_ptr<uae::Dataset> data = [] {
        auto d = uae::loadQasper(UAE_FUZZ_DATA_DIR "/qasper", "fixture");
        if (!d)
            std::abort(); // the harness's own data: never a finding in the code under test
        return std::make_unique<uae::Dataset>(std::move(d.value()));
    }();
    return *data;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto run = uae::readTrecRun(uae::fuzz::writeScratch("run.trec", data, size));
    if (!run)
        return 0;
    for (const bool corpus : {false, true})
        if (auto mapped = uae::mapTrecRun(run.value(), fixture(), corpus))
            for (const auto& r : mapped->results)
                if (r.order.size() != r.scores.size())
                    std::abort(); // every ranked paragraph has its score
    return 0;
}

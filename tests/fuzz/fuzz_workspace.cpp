// The workspace opener on a fuzzed SQLite file: Store::open (what Workspace::open does: WAL,
// migrations to the current schema, orphaned runs marked interrupted), then the reads the CLI and
// GUI start with.
#include "fuzz_support.h"
#include "uae/store.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    const auto db = uae::fuzz::scratchDir() / "ws.db";
    // A WAL or shared-memory file left by the previous input would be replayed into this one.
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        fs::remove(db.string() + suffix);
    uae::fuzz::writeInput(db, data, size);
    auto opened = uae::Store::open(db.string());
    if (!opened)
        return 0;
    auto& store = *opened.value();
    (void)store.datasets();
    (void)store.runSummaries();
    if (auto runs = store.runs()) {
        int n = 0;
        for (const auto& r : runs.value()) {
            if (++n > 8)
                break;
            (void)store.metrics(r.id);
            (void)store.questionResults(r.id);
            (void)store.latestAnswerSet(r.id);
        }
    }
    return 0;
}

#include "cli_common.h"

#include "uae/data_paths.h"

#include <chrono>
#include <csignal>
#include <unistd.h>
#include <cstdio>

namespace uae::cli {

namespace {
std::atomic<bool> g_cancel{false};
extern "C" void uaeOnSigint(int) { g_cancel.store(true); }
} // namespace

std::atomic<bool>* cancelOnSigint() {
    g_cancel = false;
    std::signal(SIGINT, uaeOnSigint);
    return &g_cancel;
}

void restoreSigint() { std::signal(SIGINT, SIG_DFL); }

std::function<void(const JobProgress&)> progressPrinter(std::string label, bool quiet, bool withMessage) {
    const bool tty = isatty(fileno(stderr));
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [=](const JobProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (quiet || (now - *last < std::chrono::milliseconds(tty ? 200 : 5000) && p.done != p.total))
            return;
        *last = now;
        const std::string extra = withMessage && !p.message.empty() ? ", " + p.message : "";
        std::fprintf(stderr, tty ? "\r%s: %ld/%ld questions%s   " : "%s: %ld/%ld questions%s\n", label.c_str(), p.done,
                     p.total, extra.c_str());
        if (tty && p.done == p.total)
            std::fputc('\n', stderr);
    };
}

std::unique_ptr<Store> openWorkspace(const Args& args) {
    auto store = Store::open(defaultWorkspacePath(args.get("workspace")));
    if (!store) {
        std::fprintf(stderr, "uae: %s\n", store.error().c_str());
        return nullptr;
    }
    if (store.value()->interruptedAtOpen() > 0)
        std::fprintf(stderr, "uae: %ld run(s) whose process ended early are now marked 'interrupted'\n",
                     store.value()->interruptedAtOpen());
    return std::move(store.value());
}

std::optional<Dataset> loadSplit(const std::string& dataArg, const std::string& split, bool quiet) {
    const std::string dir = findQasperDir(dataArg);
    if (dir.empty()) {
        std::fprintf(stderr, "uae: QASPER not found: pass --data DIR, set UAE_QASPER_DIR, or run "
                             "scripts/setup-data.sh (links ../shared or downloads the official release)\n");
        return std::nullopt;
    }
    auto data = loadQasper(dir, split);
    if (!data) {
        std::fprintf(stderr, "uae: %s\n", data.error().c_str());
        return std::nullopt;
    }
    if (!quiet)
        std::fprintf(stderr, "QASPER %s: %zu papers, %zu questions from %s\n", split.c_str(),
                     data->papers.size(), data->questions.size(), dir.c_str());
    return std::move(data.value());
}

std::optional<std::int64_t> resolveRun(const Store& store, const std::string& token, const std::string& split) {
    if (!token.empty() && token.find_first_not_of("0123456789") == std::string::npos) {
        const std::int64_t id = std::stoll(token);
        if (auto r = store.run(id); !r) {
            std::fprintf(stderr, "uae: %s\n", r.error().c_str());
            return std::nullopt;
        }
        return id;
    }
    auto id = store.latestRun(token, split);
    if (!id) {
        std::fprintf(stderr, "uae: %s\n", id.error().c_str());
        return std::nullopt;
    }
    if (id.value() == 0) {
        std::fprintf(stderr, "uae: no finished run of method '%s' on split '%s' in %s\n", token.c_str(),
                     split.c_str(), store.path().c_str());
        return std::nullopt;
    }
    return id.value();
}

bool rejectUnknown(const Args& args, const std::string& cmd, std::set<std::string> known) {
    known.insert({"workspace", "threads"});
    const auto bad = args.unknown(known);
    for (const auto& b : bad)
        std::fprintf(stderr, "uae %s: unknown option %s\n", cmd.c_str(), b.c_str());
    return !bad.empty();
}

void printMappingStats(const Dataset& data) {
    const auto& m = data.mapping;
    std::printf("evidence mapping (%s): %ld questions with text evidence, %ld unanswerable, %ld float items\n",
                data.name.c_str(), m.questionsWithTextEvidence, m.unanswerableQuestions, m.floatItems);
    std::printf("  %-13s %8s %10s\n", "rule", "items", "questions");
    for (int r = 0; r < static_cast<int>(EvidenceRule::Count); ++r)
        std::printf("  %-13s %8ld %10ld\n", evidenceRuleName(static_cast<EvidenceRule>(r)), m.items[r],
                    m.questions[r]);
}

} // namespace uae::cli

#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/dataset_loader.h"
#include "uae/device.h"
#include "fault_hooks.h"

#include <chrono>
#include <csignal>
#include <unistd.h>
#include <cstdio>

namespace uae::cli {

namespace {
std::atomic<bool> g_cancel{false};
extern "C" void uaeOnSigint(int) {
    g_cancel.store(true);
}
} // namespace

std::atomic<bool>* cancelOnSigint() {
    g_cancel = false;
    std::signal(SIGINT, uaeOnSigint);
    return &g_cancel;
}

void restoreSigint() {
    std::signal(SIGINT, SIG_DFL);
}

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

std::unique_ptr<Workspace> openWorkspace(bool readOnly) {
    auto ws = Workspace::open(commonOptions().workspace, readOnly);
    if (!ws) {
        std::fprintf(stderr, "uae: %s\n", ws.error().c_str());
        return nullptr;
    }
    if (ws.value()->store().interruptedAtOpen() > 0)
        std::fprintf(stderr, "uae: %ld run(s) whose process ended early are now marked 'interrupted'\n",
                     ws.value()->store().interruptedAtOpen());
    return std::move(ws.value());
}

JobContext jobContext(const std::string& label, bool quiet, bool withMessage) {
    configureThreads(commonOptions().threads);
    JobContext ctx;
    ctx.cancelFlag = cancelOnSigint();
    ctx.onProgress = progressPrinter(label, quiet, withMessage);
    ctx.onWarning = [label](const std::string& message) { // shown even with --quiet
        std::fprintf(stderr, "uae %s: warning: %s\n", label.c_str(), message.c_str());
    };
    installFaultHooks(ctx);
    return ctx;
}

int exitStatus(const std::string& command, RunStatus status, std::int64_t runId, const std::string& error) {
    restoreSigint();
    if (status == RunStatus::Failed) {
        if (runId)
            std::fprintf(stderr, "uae %s: run %lld failed: %s\n", command.c_str(), static_cast<long long>(runId),
                         error.c_str());
        else
            std::fprintf(stderr, "uae %s: %s\n", command.c_str(), error.c_str());
        return 1;
    }
    return status == RunStatus::Finished ? 0 : 130;
}

std::optional<Dataset> loadSplit(const std::string& dataArg, const std::string& split, bool quiet, DataFormat format) {
    auto found = requireQasperDir(dataArg);
    if (!found) {
        std::fprintf(stderr, "uae: %s\n", found.error().c_str());
        return std::nullopt;
    }
    const std::string dir = found.value();
    auto data = loadDataset(dir, split, format);
    if (!data) {
        std::fprintf(stderr, "uae: %s\n", data.error().c_str());
        return std::nullopt;
    }
    if (!quiet)
        std::fprintf(stderr, "%s %s: %zu papers, %zu questions from %s\n", data->format == "beir" ? "BEIR" : "QASPER",
                     split.c_str(), data->papers.size(), data->questions.size(), dir.c_str());
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
        std::fprintf(stderr, "uae: no finished run of method '%s' on split '%s' in %s\n", token.c_str(), split.c_str(),
                     store.path().c_str());
        return std::nullopt;
    }
    return id.value();
}

void printEvalSummary(const RunInfo& run, const EvalSummary& s, bool timed) {
    std::printf("run %lld  %s  %s  %s  %ld questions, %ld with text evidence\n", static_cast<long long>(run.id),
                run.method.c_str(), run.split.c_str(), toString(run.status), s.questions, s.evaluated);
    std::printf("  %-28s %8s\n", "metric", "value");
    for (int m = 0; m < kMetricCount; ++m)
        std::printf("  %-28s %8.4f\n", metricName(static_cast<Metric>(m)), s.mean.v[m]);
    std::printf("  %-28s %8.4f\n", "evidence_f1 (all, official)", s.evidenceF1All);
    if (!timed)
        return;
    std::printf("  %-28s %8.3f\n", "latency ms/query (whole)", s.meanLatencyMs);
    std::printf("  %-28s %8.3f\n", "query path ms/query", s.meanQueryLatencyMs);
    std::printf("  %-28s %8.1f\n", "pool preparation ms (total)", s.preparationMs);
}

void printMappingStats(const Dataset& data) {
    const auto& m = data.mapping;
    std::printf("evidence mapping (%s): %ld questions with text evidence, %ld unanswerable, %ld float items\n",
                data.name.c_str(), m.questionsWithTextEvidence, m.unanswerableQuestions, m.floatItems);
    std::printf("  %-13s %8s %10s\n", "rule", "items", "questions");
    for (int r = 0; r < static_cast<int>(EvidenceRule::Count); ++r)
        std::printf("  %-13s %8ld %10ld\n", evidenceRuleName(static_cast<EvidenceRule>(r)), m.items[r], m.questions[r]);
}

} // namespace uae::cli

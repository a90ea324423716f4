#include "uae/job_answer.h"

#include "job_run.h"

#include "uae/causal_lm.h"
#include "uae/device.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace uae {

Result<std::unique_ptr<AnswerReader>> makeReader(const AnswerJobConfig& config) {
    if (config.reader == "extractive")
        return std::unique_ptr<AnswerReader>(std::make_unique<ReaderExtractive>());
    if (config.reader == "lm") {
        if (config.model.empty())
            return fail("reader lm needs a causal LM (--model)");
        auto lm = CausalLm::load(config.model, LmOptions{config.device, config.dtype});
        if (!lm)
            return fail(lm.error());
        if (!lm.value()->tokenizer())
            return fail(config.model + ": the model has no tokenizer this build can read");
        return std::unique_ptr<AnswerReader>(std::make_unique<ReaderLm>(
            std::shared_ptr<CausalLm>(std::move(lm.value())), std::filesystem::path(config.model).filename().string(),
            config.maxNewTokens, config.resolvedStops(), config.resolvedPrompt() == "chat"));
    }
    return fail("unknown reader '" + config.reader + "' (extractive, lm)");
}

AnswerJobResult runAnswerJob(Store& store, const Dataset& data, AnswerReader& reader, const AnswerJobConfig& config,
                             const JobContext& ctx) {
    AnswerJobResult out;
    auto evalRun = store.run(config.evalRun);
    auto results = store.questionResults(config.evalRun);
    if (!evalRun || !results)
        return detail::failedBeforeRun(std::move(out), !evalRun ? evalRun.error() : results.error());
    auto cfg = nlohmann::json::parse(config.toJson());
    cfg["reader_config"] = nlohmann::json::parse(reader.configJson());
    auto run = store.beginRun(RunKind::Answer, reader.name(), evalRun->split, cfg.dump(),
                              detail::deviceOf(reader.configJson()));
    if (!run)
        return detail::failedBeforeRun(std::move(out), run.error());
    out.runId = run.value();
    return detail::recordRun(store, std::move(out), [&](AnswerJobResult& out) -> Result<RunStatus> {
        const long total = config.limit > 0 ? std::min<long>(config.limit, static_cast<long>(results->size()))
                                            : static_cast<long>(results->size());
        std::vector<AnswerRow> rows;
        size_t stored = 0;
        // Stored in slices, so a long LLM run that is cancelled or fails keeps what it answered.
        auto flush = [&]() -> Status {
            if (stored == rows.size())
                return Ok{};
            const std::vector<AnswerRow> slice(rows.begin() + static_cast<std::ptrdiff_t>(stored), rows.end());
            stored = rows.size();
            return store.addAnswers(out.runId, config.evalRun, reader.name(), slice);
        };
        RunStatus ended = RunStatus::Finished;
        const auto started = std::chrono::steady_clock::now();
        for (long i = 0; i < total; ++i) {
            if (ctx.cancelled()) {
                ended = RunStatus::Cancelled;
                break;
            }
            const QuestionResult& r = (*results)[static_cast<size_t>(i)];
            const Question* q = data.findQuestion(r.questionId);
            if (!q)
                return fail("question " + r.questionId + " of run " + std::to_string(config.evalRun) +
                            " is not in the loaded split");
            const auto k = std::min<std::ptrdiff_t>(config.k, static_cast<std::ptrdiff_t>(r.order.size()));
            const std::string a =
                reader.answer(*q, data.paperOf(*q), std::vector<int>(r.order.begin(), r.order.begin() + k));
            rows.push_back(AnswerRow{q->id, a, answerF1(a, *q)});
            out.meanF1 += rows.back().f1;
            if (rows.size() - stored >= 32)
                if (auto s = flush(); !s)
                    return fail(s.error());
            ctx.progress(i + 1, total, q->id);
        }
        out.answered = static_cast<long>(rows.size());
        if (out.answered) {
            out.meanF1 /= static_cast<double>(out.answered);
            out.msPerQuestion =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count() /
                static_cast<double>(out.answered);
        }
        if (auto s = flush(); !s)
            return fail(s.error());
        if (auto s =
                store.addMetrics(out.runId, 0, {{"answer_f1", out.meanF1}, {"ms_per_question", out.msPerQuestion}});
            !s)
            return fail(s.error());
        return ended;
    });
}

} // namespace uae

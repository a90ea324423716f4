#include "uae/job_label.h"

#include "job_run.h"

#include "uae/bm25.h"
#include "uae/device.h"
#include "uae/qasper.h"
#include "uae/causal_lm.h"
#include "uae/scorer_dirichlet.h"
#include "uae/scorer_lm.h"
#include "uae/shard.h"
#include "uae/teacher_diagnostics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace uae {

Result<std::unique_ptr<UtilityScorer>> makeScorer(const LabelJobConfig& config) {
    if (config.scorer == "dirichlet") {
        if (config.mu <= 0)
            return fail("--mu must be positive");
        return std::unique_ptr<UtilityScorer>(std::make_unique<ScorerDirichlet>(DirichletConfig{config.mu}));
    }
    if (config.scorer == "lm") {
        if (config.model.empty())
            return fail("scorer lm needs a causal LM (--model: a llama2.c .bin or a Hugging Face folder)");
        auto lm = CausalLm::load(config.model, LmOptions{config.device, config.dtype});
        if (!lm)
            return fail(lm.error());
        if (!lm.value()->tokenizer())
            return fail(config.model + ": the model has no tokenizer this build can read");
        const std::string name = std::filesystem::path(config.model).filename().string();
        LmScorerConfig lmConfig;
        lmConfig.chat = config.prompt == "chat";
        return std::unique_ptr<UtilityScorer>(
            std::make_unique<ScorerLm>(std::shared_ptr<CausalLm>(std::move(lm.value())), name, lmConfig));
    }
    return fail("unknown scorer '" + config.scorer + "' (known: dirichlet, lm)");
}

TeacherStats teacherStats(const Dataset& data, const std::vector<LabelRow>& labels, double tauT) {
    std::map<std::string, std::vector<const LabelRow*>> byQuestion;
    for (const auto& l : labels)
        byQuestion[l.question].push_back(&l);
    TeacherStats s;
    for (const auto& [id, rows] : byQuestion) {
        const Question* q = data.findQuestion(id);
        if (!q || rows.empty())
            continue;
        std::vector<double> u;
        for (const auto* r : rows)
            u.push_back(r->utility);
        const auto p = teacherDistribution(u, tauT);
        const size_t top = static_cast<size_t>(std::max_element(u.begin(), u.end()) - u.begin());
        double entropy = 0;
        for (double x : p)
            entropy -= x > 0 ? x * std::log(x) : 0.0;
        ++s.questions;
        s.meanMaxProbability += *std::max_element(p.begin(), p.end());
        s.meanEntropy += entropy;
        s.meanCandidates += static_cast<double>(rows.size());
        s.nearOneHot += *std::max_element(p.begin(), p.end()) >= 0.9 ? 1 : 0;
        auto isGold = [&](int paragraph) {
            return std::find(q->gold.begin(), q->gold.end(), paragraph) != q->gold.end();
        };
        if (rows.size() >= 3) {
            const Paper& paper = data.paperOf(*q);
            std::vector<std::string> texts;
            for (const auto& para : paper.paragraphs)
                texts.push_back(para.text);
            const auto bm25 = Bm25Retriever().scores(texts, q->text);
            std::vector<double> lexical;
            for (const auto* r : rows)
                lexical.push_back(bm25[static_cast<size_t>(r->paragraph)]);
            s.meanSpearmanBm25 += spearman(u, lexical);
            ++s.correlated;
        }
        if (std::any_of(rows.begin(), rows.end(), [&](const LabelRow* r) { return isGold(r->paragraph); })) {
            ++s.withGold;
            s.goldTop += isGold(rows[top]->paragraph) ? 1 : 0;
        }
    }
    if (s.questions) {
        s.meanMaxProbability /= static_cast<double>(s.questions);
        s.meanEntropy /= static_cast<double>(s.questions);
        s.meanCandidates /= static_cast<double>(s.questions);
    }
    if (s.correlated)
        s.meanSpearmanBm25 /= static_cast<double>(s.correlated);
    return s;
}

namespace {

std::vector<int> candidatesOf(const Question& q, const Paper& paper, int topK) {
    if (topK <= 0 || topK >= static_cast<int>(paper.paragraphs.size())) {
        std::vector<int> all(paper.paragraphs.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<int>(i);
        return all;
    }
    Bm25Retriever bm25;
    auto order = bm25.rank(RetrievalQuery{q.id, q.text, &paper}).order;
    order.resize(static_cast<size_t>(topK));
    // The gold paragraphs join BM25's top K: the teacher must judge the evidence the student is
    // measured on, or a question whose gold BM25 misses teaches nothing about it. A paragraph's
    // utility does not depend on the other candidates, so labels stay comparable.
    order.insert(order.end(), q.gold.begin(), q.gold.end());
    std::sort(order.begin(), order.end());
    order.erase(std::unique(order.begin(), order.end()), order.end());
    return order;
}

std::vector<LabelRow> labelQuestion(const Question& q, const Paper& paper, const std::vector<std::string>& answers,
                                    UtilityScorer& scorer, int topK) {
    const auto candidates = candidatesOf(q, paper, topK);
    std::vector<std::string> passages{std::string()};
    for (int c : candidates)
        passages.push_back(paper.paragraphs[static_cast<size_t>(c)].text);
    std::vector<LabelRow> rows(candidates.size());
    for (const auto& answer : answers) {
        const auto nll = scorer.answerNll(q.text, answer, passages);
        for (size_t i = 0; i < candidates.size(); ++i) {
            rows[i].nllWithout += nll[0] / static_cast<double>(answers.size());
            rows[i].nllWith += nll[i + 1] / static_cast<double>(answers.size());
        }
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
        rows[i].question = q.id;
        rows[i].paragraph = candidates[i];
        rows[i].utility = rows[i].nllWithout - rows[i].nllWith;
    }
    return rows;
}

} // namespace

namespace {

Status storeLabelStats(Store& store, const LabelJobResult& out) {
    std::vector<std::pair<std::string, double>> metrics = {{"labeled_now", double(out.labeledNow)},
                                                           {"already_labeled", double(out.alreadyLabeled)},
                                                           {"relabeled_changed_text", double(out.relabeled)},
                                                           {"skipped_unanswerable", double(out.skippedUnanswerable)}};
    const auto stats = teacherStatsMetrics(out.stats);
    metrics.insert(metrics.end(), stats.begin(), stats.end());
    if (out.labeledNow > 0 && out.seconds > 0) {
        metrics.emplace_back("seconds_per_question", out.seconds / static_cast<double>(out.labeledNow));
        if (out.tokensScored > 0)
            metrics.emplace_back("tokens_per_s", static_cast<double>(out.tokensScored) / out.seconds);
    }
    return store.addMetrics(out.runId, 0, metrics);
}

// The first --limit questions, or the shard's share of them (shard.h), in data order.
Result<std::vector<size_t>> questionsToLabel(const Dataset& data, const LabelJobConfig& config) {
    const auto shard = parseShard(config.shard);
    if (!shard)
        return fail("--shard: " + shard.error());
    const size_t total = config.limit > 0 ? std::min<size_t>(static_cast<size_t>(config.limit), data.questions.size())
                                          : data.questions.size();
    std::vector<std::string> ids;
    ids.reserve(total);
    for (size_t i = 0; i < total; ++i)
        ids.push_back(data.questions[i].id);
    return shardPositions(ids, shard.value());
}

std::string rateMessage(double labeled, double seconds, long left) {
    const double rate = seconds > 0 ? labeled / seconds : 0.0;
    char msg[96];
    const double eta = rate > 0 ? static_cast<double>(left) / rate : 0.0;
    if (rate > 0 && rate < 1) // an LLM teacher: seconds per question say more than 0.0 questions/s
        std::snprintf(msg, sizeof msg, "%.1f s/question, ETA %.0f s", 1.0 / rate, eta);
    else
        std::snprintf(msg, sizeof msg, "%.1f questions/s, ETA %.0f s", rate, eta);
    return msg;
}

} // namespace

LabelJobResult runLabelJob(Store& store, const Dataset& data, UtilityScorer& scorer, const LabelJobConfig& config,
                           const JobContext& ctx) {
    LabelJobResult out;
    const LabelKey key{scorer.name(), scorer.promptVersion()};
    out.promptVersion = key.promptVersion;
    auto done = store.labelSources(key);
    if (!done)
        return detail::failedBeforeRun(std::move(out), done.error());
    std::unordered_map<std::string, std::string> stored; // question -> hash of what it was labelled on
    for (const auto& s : done.value())
        stored[s.question] = s.sourceHash;
    auto cfg = nlohmann::json::parse(config.toJson());
    cfg["scorer_config"] = nlohmann::json::parse(scorer.configJson());
    cfg["prompt_version"] = key.promptVersion;
    auto run =
        store.beginRun(RunKind::Label, scorer.name(), config.split, cfg.dump(), detail::deviceOf(scorer.configJson()));
    if (!run)
        return detail::failedBeforeRun(std::move(out), run.error());
    out.runId = run.value();
    return detail::recordRun(store, std::move(out), [&](LabelJobResult& out) -> Result<RunStatus> {
        const auto order = questionsToLabel(data, config);
        if (!order)
            return fail(order.error());
        const long total = static_cast<long>(order->size());
        const auto start = std::chrono::steady_clock::now();
        int preparedPaper = -1;
        RunStatus ended = RunStatus::Finished;
        for (long i = 0; i < total; ++i) {
            if (ctx.cancelled()) {
                ended = RunStatus::Cancelled;
                break;
            }
            const Question& q = data.questions[(*order)[static_cast<size_t>(i)]];
            const Paper& paper = data.paperOf(q);
            const std::string source = labelSourceHash(q, paper);
            const auto was = stored.find(q.id);
            if (was != stored.end() && (was->second.empty() || was->second == source)) {
                ++out.alreadyLabeled;
                continue;
            }
            if (q.paper != preparedPaper) {
                scorer.preparePaper(paper);
                preparedPaper = q.paper;
            }
            const auto answers = utilityAnswers(q);
            const auto rows =
                answers.empty() ? std::vector<LabelRow>{} : labelQuestion(q, paper, answers, scorer, config.topK);
            const long storedSoFar = out.labeledNow;
            auto added = store.addQuestionLabels(out.runId, key, config.split, q.id, rows, source,
                                                 [&] { ctx.milestone("label.commit", storedSoFar); });
            if (!added)
                return fail(added.error());
            ++(added.value() ? out.labeledNow : out.alreadyLabeled);
            out.relabeled += added.value() && was != stored.end() ? 1 : 0;
            out.skippedUnanswerable += added.value() && answers.empty() ? 1 : 0;
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            ctx.progress(i + 1, total, rateMessage(static_cast<double>(out.labeledNow), secs, total - i - 1));
        }
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        out.tokensScored = scorer.tokensScored();
        auto labels = store.labels(key, config.split);
        if (!labels)
            return fail(labels.error());
        out.stats = teacherStats(data, labels.value(), config.tauT);
        if (auto s = storeLabelStats(store, out); !s)
            return fail(s.error());
        return ended;
    });
}

} // namespace uae

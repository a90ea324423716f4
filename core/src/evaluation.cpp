#include "uae/evaluation.h"

#include "uae/qasper.h"
#include "uae/retriever.h"

namespace uae {

void scoreRanking(QuestionResult& r, const Question& q, const Paper& paper) {
    r.gold = q.gold;
    r.metrics = retrievalMetrics(r.order, r.gold);
    std::vector<std::string> predicted;
    if (!r.order.empty())
        predicted.push_back(paper.paragraphs.at(static_cast<size_t>(r.order.front())).text);
    r.metrics[Metric::EvidenceF1] = evidenceF1(predicted, q.references);
}

EvalSummary summarize(const std::vector<QuestionResult>& results) {
    EvalSummary s;
    for (const auto& r : results) {
        ++s.questions;
        s.evidenceF1All += r.metrics[Metric::EvidenceF1];
        s.meanLatencyMs += r.latencyMs;
        if (r.queryLatencyMs) {
            s.meanQueryLatencyMs += *r.queryLatencyMs;
            ++s.queryTimed;
        }
        if (!r.evaluated())
            continue;
        ++s.evaluated;
        for (int m = 0; m < kMetricCount; ++m)
            s.mean.v[m] += r.metrics.v[m];
    }
    if (s.evaluated)
        for (auto& v : s.mean.v)
            v /= static_cast<double>(s.evaluated);
    if (s.questions) {
        s.evidenceF1All /= static_cast<double>(s.questions);
        s.meanLatencyMs /= static_cast<double>(s.questions);
    }
    if (s.queryTimed)
        s.meanQueryLatencyMs /= static_cast<double>(s.queryTimed);
    return s;
}

EvalOutcome evaluate(const Dataset& data, Retriever& retriever, const JobContext& ctx,
                     const std::function<void(const QuestionResult&)>& onResult, long limit, size_t keepRanks) {
    EvalOutcome out;
    const long total = limit > 0 ? std::min<long>(limit, static_cast<long>(data.questions.size()))
                                 : static_cast<long>(data.questions.size());
    ctx.progress(0, total, "ranking with " + retriever.method());
    for (long i = 0; i < total; ++i) {
        if (ctx.cancelled()) {
            out.cancelled = true;
            break;
        }
        const Question& q = data.questions[static_cast<size_t>(i)];
        const Paper& paper = data.paperOf(q);
        Ranking ranking = retriever.rank(RetrievalQuery{q.id, q.text, &paper});
        QuestionResult r;
        r.questionId = q.id;
        r.order = std::move(ranking.order);
        r.scores = std::move(ranking.scores);
        if (keepRanks > 0 && r.order.size() > keepRanks) { // as trec_eval scores a run this deep
            r.order.resize(keepRanks);
            r.scores.resize(keepRanks);
        }
        r.latencyMs = ranking.latencyMs;
        r.queryLatencyMs = ranking.queryLatencyMs;
        scoreRanking(r, q, paper);
        if (onResult)
            onResult(r);
        out.results.push_back(std::move(r));
        ctx.progress(i + 1, total, q.id);
    }
    out.summary = summarize(out.results);
    out.summary.preparationMs = retriever.preparationMs();
    return out;
}

} // namespace uae

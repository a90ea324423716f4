#include "uae/comparison.h"

#include <cmath>
#include <unordered_map>

namespace uae {

PairedComparison comparePaired(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b,
                               Metric metric) {
    std::unordered_map<std::string, const QuestionResult*> byId;
    for (const auto& r : a)
        if (r.evaluated())
            byId[r.questionId] = &r;
    PairedComparison out;
    out.metric = metric;
    std::vector<double> va, vb;
    for (const auto& r : b) {
        auto it = byId.find(r.questionId);
        if (it == byId.end() || !r.evaluated())
            continue;
        va.push_back(it->second->metrics[metric]);
        vb.push_back(r.metrics[metric]);
        const double d = vb.back() - va.back();
        (std::fabs(d) < 1e-12 ? out.ties : d > 0 ? out.wins : out.losses)++;
    }
    out.questions = static_cast<long>(va.size());
    out.difference = pairedBootstrap(va, vb);
    return out;
}

MeanInterval meanInterval(const std::vector<QuestionResult>& run, Metric metric) {
    std::vector<double> values;
    for (const auto& r : run)
        if (r.evaluated())
            values.push_back(r.metrics[metric]);
    // The interval of a mean is the paired interval against a run that scores 0 everywhere.
    const auto d = pairedBootstrap(std::vector<double>(values.size(), 0.0), values);
    return MeanInterval{d.mean, d.low, d.high, static_cast<long>(values.size())};
}

LatencyComparison compareQueryLatency(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b) {
    std::unordered_map<std::string, double> timedA;
    for (const auto& r : a)
        if (r.queryLatencyMs)
            timedA[r.questionId] = *r.queryLatencyMs;
    LatencyComparison out;
    for (const auto& r : b) {
        auto it = timedA.find(r.questionId);
        if (it == timedA.end() || !r.queryLatencyMs)
            continue;
        out.meanA += it->second;
        out.meanB += *r.queryLatencyMs;
        ++out.questions;
    }
    if (out.questions) {
        out.meanA /= static_cast<double>(out.questions);
        out.meanB /= static_cast<double>(out.questions);
    }
    out.ratio = out.meanA > 0 ? out.meanB / out.meanA : 0;
    return out;
}

std::string incomparable(const RunInfo& a, const RunInfo& b) {
    if (a.split == b.split)
        return {};
    return "run " + std::to_string(a.id) + " ranks " + a.split + " and run " + std::to_string(b.id) + " ranks " +
           b.split + ": they share no question; compare two runs of one split";
}

std::string partialRunNote(const RunInfo& run, size_t questions) {
    if (run.status == RunStatus::Finished)
        return {};
    return "run " + std::to_string(run.id) + " is " + toString(run.status) + ": its " + std::to_string(questions) +
           " ranked questions are only part of the split";
}

std::pair<std::vector<QuestionResult>, std::vector<QuestionResult>>
sharedQuestions(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b) {
    std::unordered_map<std::string, int> count;
    for (const auto& r : a)
        count[r.questionId] = 1;
    for (const auto& r : b)
        if (auto it = count.find(r.questionId); it != count.end())
            it->second = 2;
    std::pair<std::vector<QuestionResult>, std::vector<QuestionResult>> out;
    for (const auto& r : a)
        if (count[r.questionId] == 2)
            out.first.push_back(r);
    for (const auto& r : b)
        if (auto it = count.find(r.questionId); it != count.end() && it->second == 2)
            out.second.push_back(r);
    return out;
}

std::vector<std::string> cutToCommonQuestions(const std::vector<RunInfo>& runs,
                                              std::vector<std::vector<QuestionResult>>& results) {
    std::vector<std::string> notes;
    if (results.empty())
        return notes;
    std::string sizes;
    for (size_t r = 0; r < results.size(); ++r) {
        if (auto note = r < runs.size() ? partialRunNote(runs[r], results[r].size()) : ""; !note.empty())
            notes.push_back(note);
        sizes += (r ? ", " : "") + std::to_string(results[r].size());
    }
    auto common = results.front();
    for (size_t r = 1; r < results.size(); ++r)
        common = sharedQuestions(common, results[r]).first;
    bool differ = false;
    for (auto& run : results) {
        auto cut = sharedQuestions(common, run).second;
        differ = differ || cut.size() != run.size();
        run = std::move(cut);
    }
    if (differ)
        notes.push_back("the runs ranked different questions (" + sizes + "): every figure is over the " +
                        std::to_string(common.size()) + " all ranked");
    return notes;
}

std::vector<std::string> comparisonNotes(const RunInfo& a, const RunInfo& b, const std::vector<QuestionResult>& ra,
                                         const std::vector<QuestionResult>& rb) {
    std::vector<std::string> notes;
    for (const auto& [run, results] : {std::pair{&a, &ra}, std::pair{&b, &rb}})
        if (auto note = partialRunNote(*run, results->size()); !note.empty())
            notes.push_back(note);
    const auto shared = sharedQuestions(ra, rb);
    if (shared.first.size() != ra.size() || shared.second.size() != rb.size())
        notes.push_back("the runs ranked different questions (" + std::to_string(ra.size()) + " and " +
                        std::to_string(rb.size()) + "): every figure is over the " +
                        std::to_string(shared.first.size()) + " both ranked");
    return notes;
}

} // namespace uae

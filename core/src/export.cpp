#include "uae/export.h"

#include "atomic_file.h"
#include "uae/qasper.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <unordered_map>

namespace uae {

namespace {

std::string docno(int paragraph) {
    return "p" + std::to_string(paragraph);
}

} // namespace

Status writeTrecRun(const std::string& path, const std::vector<QuestionResult>& results, const std::string& tag) {
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        char line[512];
        for (const auto& r : results) {
            if (!r.evaluated())
                continue;
            // 6 decimals printed; a score that would not print strictly below the previous one
            // is lowered one step, keeping trec_eval's sort identical to our order.
            double previous = INFINITY;
            for (size_t i = 0; i < r.order.size(); ++i) {
                double s = std::round(static_cast<double>(r.scores[i]) * 1e6) / 1e6;
                if (s >= previous - 0.5e-6)
                    s = previous - 1e-6;
                previous = s;
                std::snprintf(line, sizeof line, "%s Q0 %s %zu %.6f %s\n", r.questionId.c_str(),
                              docno(r.order[i]).c_str(), i + 1, s, tag.c_str());
                out << line;
            }
        }
    });
}

Status writeQrels(const std::string& path, const std::vector<QuestionResult>& results) {
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        for (const auto& r : results)
            for (int g : r.gold)
                out << r.questionId << " 0 " << docno(g) << " 1\n";
    });
}

Status writeQasperPredictions(const std::string& path, const std::vector<QuestionResult>& results, const Dataset& data,
                              const std::map<std::string, std::string>& answers) {
    std::unordered_map<std::string, const Question*> byId;
    for (const auto& q : data.questions)
        byId[q.id] = &q;
    for (const auto& r : results)
        if (!byId.count(r.questionId))
            return fail(path + ": question " + r.questionId + " of the run is not in split '" + data.name + "'");
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        for (const auto& r : results) {
            const Paper& paper = data.paperOf(*byId[r.questionId]);
            nlohmann::json evidence = nlohmann::json::array();
            if (!r.order.empty())
                evidence.push_back(paper.paragraphs.at(static_cast<size_t>(r.order.front())).text);
            const auto a = answers.find(r.questionId);
            out << nlohmann::json{{"question_id", r.questionId},
                                  {"predicted_answer", a == answers.end() ? std::string() : a->second},
                                  {"predicted_evidence", evidence}}
                       .dump()
                << '\n';
        }
    });
}

Status writeQasperGold(const std::string& path, const Dataset& data) {
    nlohmann::ordered_json merged = nlohmann::ordered_json::object();
    for (const auto& file : data.files) {
        std::ifstream in(file, std::ios::binary);
        try {
            auto part = nlohmann::ordered_json::parse(in);
            for (auto it = part.begin(); it != part.end(); ++it)
                merged[it.key()] = it.value();
        } catch (const nlohmann::json::exception& e) {
            return fail(file + ": " + e.what());
        }
    }
    return detail::writeFileAtomically(path, [&](std::ostream& out) { out << merged.dump(); });
}

Status writeCsv(const std::string& path, const std::vector<QuestionResult>& results) {
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        out << "question_id,evaluated,top1,latency_ms";
        for (int m = 0; m < kMetricCount; ++m)
            out << ',' << metricName(static_cast<Metric>(m));
        out << '\n' << std::setprecision(6);
        for (const auto& r : results) {
            out << r.questionId << ',' << (r.evaluated() ? 1 : 0) << ',' << (r.order.empty() ? -1 : r.order.front())
                << ',' << r.latencyMs;
            for (int m = 0; m < kMetricCount; ++m)
                out << ',' << r.metrics.v[m];
            out << '\n';
        }
    });
}

} // namespace uae

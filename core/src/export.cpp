#include "uae/export.h"

#include "atomic_file.h"
#include "uae/qasper.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <unordered_map>

namespace uae {

namespace {

std::string indexDocno(const std::string&, int paragraph) {
    return "p" + std::to_string(paragraph);
}

} // namespace

DocnoFn datasetDocnos(const Dataset& data) {
    // Copies of the ids (one per paragraph, not per question), so the function outlives `data`.
    std::vector<std::vector<std::string>> ids;
    for (const auto& paper : data.papers) {
        ids.emplace_back();
        for (const auto& p : paper.paragraphs)
            ids.back().push_back(p.id);
    }
    std::unordered_map<std::string, size_t> poolOf;
    for (const auto& q : data.questions)
        poolOf[q.id] = static_cast<size_t>(q.paper);
    return [ids = std::move(ids), poolOf = std::move(poolOf)](const std::string& question, int paragraph) {
        const auto it = poolOf.find(question);
        if (it == poolOf.end() || paragraph < 0 || static_cast<size_t>(paragraph) >= ids[it->second].size() ||
            ids[it->second][static_cast<size_t>(paragraph)].empty())
            return indexDocno(question, paragraph);
        return ids[it->second][static_cast<size_t>(paragraph)];
    };
}

Status writeTrecRun(const std::string& path, const std::vector<QuestionResult>& results, const std::string& tag,
                    const DocnoFn& name) {
    const DocnoFn docno = name ? name : DocnoFn(indexDocno);
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        char score[64];
        for (const auto& r : results) {
            if (!r.evaluated())
                continue;
            // 6 decimals printed; a score that would not print strictly below the previous one
            // is lowered one step, keeping trec_eval's sort identical to our order. trec_eval
            // reads scores as floats, whose steps exceed 1e-6 above 8: lowered further until the
            // printed text, read as a float, is below the previous one too.
            double previous = INFINITY;
            float previousRead = INFINITY;
            for (size_t i = 0; i < r.order.size(); ++i) {
                double s = std::round(static_cast<double>(r.scores[i]) * 1e6) / 1e6;
                if (s >= previous - 0.5e-6)
                    s = previous - 1e-6;
                std::snprintf(score, sizeof score, "%.6f", s);
                while (std::strtof(score, nullptr) >= previousRead) {
                    s = std::round((s - 1e-6) * 1e6) / 1e6;
                    std::snprintf(score, sizeof score, "%.6f", s);
                }
                previous = s;
                previousRead = std::strtof(score, nullptr);
                out << r.questionId << " Q0 " << docno(r.questionId, r.order[i]) << ' ' << i + 1 << ' ' << score << ' '
                    << tag << '\n';
            }
        }
    });
}

Status writeQrels(const std::string& path, const std::vector<QuestionResult>& results, const DocnoFn& name) {
    const DocnoFn docno = name ? name : DocnoFn(indexDocno);
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        for (const auto& r : results)
            for (int g : r.gold)
                out << r.questionId << " 0 " << docno(r.questionId, g) << " 1\n";
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

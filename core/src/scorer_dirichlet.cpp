#include "uae/scorer_dirichlet.h"

#include "uae/qasper.h"
#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace uae {

namespace {

std::vector<std::string> tokens(const std::string& s) {
    auto t = text::contentWords(s);
    return t.empty() ? text::words(s) : t;
}

} // namespace

std::string ScorerDirichlet::promptVersion() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "dirichlet-v1:mu=%g", m_config.mu);
    return buf;
}

std::string ScorerDirichlet::configJson() const {
    return nlohmann::json{{"scorer", "dirichlet"},
                          {"mu", m_config.mu},
                          {"collection", "paper, Lidstone 0.5"},
                          {"tokens", "content words"}}
        .dump();
}

void ScorerDirichlet::preparePaper(const Paper& paper) {
    m_paperCounts.clear();
    m_paperLength = 0;
    for (const auto& p : paper.paragraphs)
        for (auto& w : tokens(p.text)) {
            ++m_paperCounts[w];
            ++m_paperLength;
        }
}

double ScorerDirichlet::collectionProbability(const std::string& word) const {
    auto it = m_paperCounts.find(word);
    const double tf = it == m_paperCounts.end() ? 0.0 : static_cast<double>(it->second);
    return (tf + 0.5) / (m_paperLength + 0.5 * (static_cast<double>(m_paperCounts.size()) + 1.0));
}

std::vector<double> ScorerDirichlet::answerNll(const std::string& question, const std::string& answer,
                                               const std::vector<std::string>& passages) {
    const auto answerTokens = tokens(answer);
    const auto questionTokens = tokens(question);
    std::vector<double> out;
    out.reserve(passages.size());
    std::vector<double> prior;
    for (const auto& w : answerTokens)
        prior.push_back(collectionProbability(w));
    for (const auto& passage : passages) {
        std::unordered_map<std::string, long> tf;
        double length = 0;
        for (const auto& w : questionTokens)
            ++tf[w], ++length;
        if (!passage.empty())
            for (const auto& w : tokens(passage))
                ++tf[w], ++length;
        double nll = 0;
        for (size_t i = 0; i < answerTokens.size(); ++i) {
            auto it = tf.find(answerTokens[i]);
            const double count = it == tf.end() ? 0.0 : static_cast<double>(it->second);
            nll -= std::log((count + m_config.mu * prior[i]) / (length + m_config.mu));
        }
        out.push_back(answerTokens.empty() ? 0.0 : nll / static_cast<double>(answerTokens.size()));
    }
    return out;
}

} // namespace uae

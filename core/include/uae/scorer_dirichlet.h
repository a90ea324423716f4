#pragma once
#include "uae/utility.h"

#include <string>
#include <unordered_map>

namespace uae {

struct DirichletConfig {
    double mu = 100.0; // Dirichlet prior mass; paragraphs are short (~100 words)
};

// A unigram language model per context, Dirichlet-smoothed towards the paper's collection LM:
//   p(w | d) = (tf(w, d) + mu * pC(w)) / (|d| + mu)
//   pC(w)    = (tf(w, paper) + 0.5) / (|paper| + 0.5 (|V_paper| + 1))   (Lidstone, so unseen
//                                                                       answer words stay finite)
// over content words (lower-cased, stop words dropped; all words when none remain). No weights:
// the workbench's embedded default teacher, cheap enough for all of QASPER on a laptop CPU.
class ScorerDirichlet final : public UtilityScorer {
public:
    explicit ScorerDirichlet(DirichletConfig config = {}) : m_config(config) {}
    std::string name() const override { return "dirichlet"; }
    std::string promptVersion() const override;
    std::string configJson() const override;
    void preparePaper(const Paper& paper) override;
    std::vector<double> answerNll(const std::string& question, const std::string& answer,
                                  const std::vector<std::string>& passages) override;

    double collectionProbability(const std::string& word) const;

private:
    DirichletConfig m_config;
    std::unordered_map<std::string, long> m_paperCounts;
    double m_paperLength = 0;
};

} // namespace uae

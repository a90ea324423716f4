#pragma once
// Utility-Modulated InfoNCE, the objective that makes a bi-encoder imitate the LLM's utility.
// For one question with candidates c_1..c_n (its own pool) and in-batch negatives c_{n+1}..c_N
// (other questions' candidates, teacher mass 0):
//   student scores   s_i = cos(E(q), E(c_i)) / tau_S,          p_S = softmax(s) over all N
//   teacher          p_T = softmax(u / tau_T) over the own n,   p_T(i) = 0 for negatives
//   (a) soft:        L = - sum_i p_T(i) log p_S(i)
//   (b) masked:      L = - sum_i p_T(i) [ s_i - log sum_{j : p_T(j) <= p_T(i)} exp(s_j) ]
//                    (for target i, candidates the teacher prefers are left out of the denominator)
//   (c) hybrid:      L = InfoNCE_gold + lambda KL(p_T || p_S)
//   (d) gold only:   L = InfoNCE_gold = - log( sum_{g in gold} exp(s_g) / sum_j exp(s_j) )
//                    the ablation without utility: supervision from gold evidence alone
// Where the temperatures act: tau_T when training builds each batch's teacher rows
// (detail::batchTargets in core/src/train/train_common.h, tested by tst_train_targets) and in
// uaeLoss() below; tau_S when the trainer scales cosines (EncoderTrainer::scores).
// KL(p_T || p_S) is reported for every variant. Defaults tau_S = 0.02, tau_T = 0.1; the paper's
// exact hyperparameters are not public.
#include <string>
#include <vector>

namespace uae {

enum class UaeLoss { Soft, Masked, Hybrid, GoldOnly };
const char* uaeLossName(UaeLoss l);
bool parseUaeLoss(const std::string& name, UaeLoss& out); // soft | masked | hybrid | gold

struct UaeLossConfig {
    UaeLoss variant = UaeLoss::Soft;
    double tauS = 0.02;
    double tauT = 0.1;
    double lambda = 1.0; // hybrid: weight of the KL term
};

// One question's scoring group.
struct LossGroup {
    std::vector<double> cosines;   // own candidates first, then in-batch negatives
    int own = 0;                   // how many of cosines are the question's own candidates
    std::vector<double> utilities; // [own]
    std::vector<bool> gold;        // [own]
};

struct LossValue {
    double loss = 0;
    double kl = 0;                   // KL(p_T || p_S)
    std::vector<double> gradCosines; // dL / d cosines
};

// The loss of one group and its gradient (LibTorch autograd, float64). A group with no gold
// evidence contributes 0 to the gold terms.
LossValue uaeLoss(const LossGroup& group, const UaeLossConfig& config);

} // namespace uae

#include "uae/uae_loss.h"

#include "uae_loss_tensor.h"

#include <limits>

namespace uae {

const char* uaeLossName(UaeLoss l) {
    switch (l) {
    case UaeLoss::Soft:
        return "soft";
    case UaeLoss::Masked:
        return "masked";
    case UaeLoss::Hybrid:
        return "hybrid";
    case UaeLoss::GoldOnly:
        return "gold";
    }
    return "?";
}

bool parseUaeLoss(const std::string& name, UaeLoss& out) {
    for (UaeLoss l : {UaeLoss::Soft, UaeLoss::Masked, UaeLoss::Hybrid, UaeLoss::GoldOnly})
        if (name == uaeLossName(l)) {
            out = l;
            return true;
        }
    return false;
}

namespace detail {

std::pair<torch::Tensor, torch::Tensor> uaeLossBatch(const torch::Tensor& scores, const torch::Tensor& teacher,
                                                     const torch::Tensor& gold, const torch::Tensor& valid,
                                                     const UaeLossConfig& config) {
    auto [loss, kl] = uaeLossRows(scores, teacher, gold, valid, config);
    return {loss.mean(), kl.mean()};
}

std::pair<torch::Tensor, torch::Tensor> uaeLossRows(const torch::Tensor& scores, const torch::Tensor& teacher,
                                                    const torch::Tensor& gold, const torch::Tensor& valid,
                                                    const UaeLossConfig& config) {
    const double lowest = -std::numeric_limits<double>::infinity();
    auto s = scores.masked_fill(valid.logical_not(), lowest);
    auto logPS = torch::log_softmax(s, 1);
    auto safeLogPS = logPS.masked_fill(valid.logical_not(), 0.0);
    auto hasTeacher = teacher.gt(0);
    // KL(p_T || p_S) = sum p_T (log p_T - log p_S), over candidates with teacher mass.
    auto logPT = torch::where(hasTeacher, teacher.clamp_min(1e-300).log(), torch::zeros_like(teacher));
    auto kl = (teacher * (logPT - safeLogPS)).sum(1);
    auto goldInfoNce = [&] {
        auto goldScores = s.masked_fill(gold.logical_not(), lowest);
        auto has = gold.any(1);
        auto l = torch::logsumexp(s, 1) - torch::logsumexp(goldScores, 1);
        return torch::where(has, l, torch::zeros_like(l));
    };
    torch::Tensor loss;
    switch (config.variant) {
    case UaeLoss::Soft:
        loss = -(teacher * safeLogPS).sum(1);
        break;
    case UaeLoss::Masked: {
        // keep[b, i, j]: for target i, candidate j stays in the denominator unless the teacher
        // gives it more mass than i.
        auto keep = teacher.unsqueeze(1).le(teacher.unsqueeze(2)).logical_and(valid.unsqueeze(1));
        auto denom = torch::logsumexp(
            s.unsqueeze(1).expand({s.size(0), s.size(1), s.size(1)}).masked_fill(keep.logical_not(), lowest), 2);
        auto perTarget = torch::where(hasTeacher, s - denom, torch::zeros_like(s));
        loss = -(teacher * perTarget).sum(1);
        break;
    }
    case UaeLoss::Hybrid:
        loss = goldInfoNce() + config.lambda * kl;
        break;
    case UaeLoss::GoldOnly:
        loss = goldInfoNce();
        break;
    }
    return {loss, kl};
}

} // namespace detail

LossValue uaeLoss(const LossGroup& g, const UaeLossConfig& config) {
    const auto n = static_cast<std::int64_t>(g.cosines.size());
    auto opts = torch::TensorOptions().dtype(torch::kDouble);
    auto cos = torch::tensor(g.cosines, opts).view({1, n}).requires_grad_(true);
    auto teacher = torch::zeros({1, n}, opts);
    auto gold = torch::zeros({1, n}, torch::kBool);
    if (g.own > 0) {
        auto u = torch::tensor(g.utilities, opts);
        teacher.narrow(1, 0, g.own).copy_(torch::softmax(u / config.tauT, 0).view({1, g.own}));
        for (int i = 0; i < g.own; ++i)
            gold[0][i] = static_cast<bool>(g.gold[static_cast<size_t>(i)]);
    }
    auto valid = torch::ones({1, n}, torch::kBool);
    auto [loss, kl] = detail::uaeLossBatch(cos / config.tauS, teacher, gold, valid, config);
    loss.backward();
    LossValue out;
    out.loss = loss.item<double>();
    out.kl = kl.item<double>();
    auto grad = cos.grad().contiguous();
    out.gradCosines.assign(grad.data_ptr<double>(), grad.data_ptr<double>() + n);
    return out;
}

} // namespace uae

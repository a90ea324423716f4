// UAE-GloVe: GloVe mean vectors (frozen) under trainable query and passage projections.
#include "train_encoders.h"

#include "uae/encoder_glove.h"
#include "uae/encoder_uae.h"
#include "uae/safetensors.h"

#include <cmath>
#include <filesystem>

namespace uae::detail {

namespace {

torch::Tensor toTensor(std::vector<float> v, std::int64_t rows, std::int64_t cols) {
    return torch::from_blob(v.data(), {rows, cols}, torch::kFloat).clone();
}

std::vector<float> toVector(const torch::Tensor& t) {
    auto c = t.detach().contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

class GloveTrainer final : public EncoderTrainer {
public:
    GloveTrainer(const TrainConfig& config, std::shared_ptr<EncoderGlove> glove, const Dataset& train)
        : m_config(config), m_glove(std::move(glove)), m_d(m_glove->dim()) {
        std::vector<std::string> texts;
        for (const auto& q : train.questions)
            texts.push_back(q.text);
        m_questions = toTensor(m_glove->encode(texts, EncodeRole::Query), static_cast<std::int64_t>(texts.size()), m_d);
        texts.clear();
        for (const auto& paper : train.papers) {
            m_firstRow.push_back(static_cast<std::int64_t>(texts.size()));
            for (const auto& para : paper.paragraphs)
                texts.push_back(para.text);
        }
        m_paragraphs =
            toTensor(m_glove->encode(texts, EncodeRole::Passage), static_cast<std::int64_t>(texts.size()), m_d);
        m_paperOf.reserve(train.questions.size());
        for (const auto& q : train.questions)
            m_paperOf.push_back(q.paper);
        m_wq = torch::eye(m_d).requires_grad_(true);
        m_wp = torch::eye(m_d).requires_grad_(true);
        m_mq = torch::zeros({m_d, m_d}), m_vq = torch::zeros({m_d, m_d});
        m_mp = torch::zeros({m_d, m_d}), m_vp = torch::zeros({m_d, m_d});
    }

    Status restore() {
        auto file = SafetensorsFile::open(m_config.checkpoint);
        if (!file)
            return fail(file.error());
        auto get = [&](const char* name, torch::Tensor& into) -> Status {
            auto v = file.value()->readFloat32(name);
            if (!v || v->size() != static_cast<size_t>(m_d * m_d))
                return fail(m_config.checkpoint + ": tensor '" + name + "' missing or of the wrong size");
            torch::NoGradGuard noGrad;
            into.copy_(toTensor(std::move(v.value()), m_d, m_d));
            return Ok{};
        };
        for (auto [name, t] : {std::pair<const char*, torch::Tensor*>{"query_projection", &m_wq},
                               {"passage_projection", &m_wp},
                               {"adam_m_query", &m_mq},
                               {"adam_v_query", &m_vq},
                               {"adam_m_passage", &m_mp},
                               {"adam_v_passage", &m_vp}})
            if (auto s = get(name, *t); !s)
                return s;
        return Ok{};
    }

    std::pair<torch::Tensor, torch::Tensor> embed(const std::vector<const TrainGroup*>& groups) override {
        std::vector<std::int64_t> qRows, cRows;
        for (const TrainGroup* g : groups) {
            qRows.push_back(g->question);
            const std::int64_t first = m_firstRow[static_cast<size_t>(m_paperOf[static_cast<size_t>(g->question)])];
            for (int p : g->paragraphs)
                cRows.push_back(first + p);
        }
        auto opts = torch::nn::functional::NormalizeFuncOptions().dim(1);
        auto eq = torch::nn::functional::normalize(
            torch::matmul(m_questions.index_select(0, torch::tensor(qRows)), m_wq.t()), opts);
        auto ep = torch::nn::functional::normalize(
            torch::matmul(m_paragraphs.index_select(0, torch::tensor(cRows)), m_wp.t()), opts);
        return {eq, ep};
    }

    std::int64_t dim() const override { return m_d; }

    std::vector<torch::Tensor> parameters() override { return {m_wq, m_wp}; }

    // AdamW written out (as torch.optim.AdamW computes it) so its moments go into checkpoints
    // the same way under LibTorch 1.13 and 2.x.
    void optimizerStep(double lr, long t) override {
        adamw(m_wq, m_mq, m_vq, lr, t);
        adamw(m_wp, m_mp, m_vp, lr, t);
    }

    std::function<BackgroundEval::Metrics()> snapshotEval(const Dataset& eval, long limit) override {
        auto encoder = std::make_shared<EncoderUaeGlove>(m_glove, toVector(m_wq), toVector(m_wp), "snapshot");
        return [&eval, encoder, limit] { return evaluateEncoder(eval, encoder, limit); };
    }

    Status save(const LoopState& state) override {
        std::filesystem::create_directories(std::filesystem::path(m_config.checkpoint).parent_path());
        const std::int64_t d = m_d;
        const auto q = toVector(m_wq), p = toVector(m_wp), m1 = toVector(m_mq), v1 = toVector(m_vq),
                   m2 = toVector(m_mp), v2 = toVector(m_vp);
        return writeSafetensors(m_config.checkpoint,
                                {{"query_projection", {d, d}, q.data()},
                                 {"passage_projection", {d, d}, p.data()},
                                 {"adam_m_query", {d, d}, m1.data()},
                                 {"adam_v_query", {d, d}, v1.data()},
                                 {"adam_m_passage", {d, d}, m2.data()},
                                 {"adam_v_passage", {d, d}, v2.data()}},
                                {{"glove", m_config.gloveDir},
                                 {"epoch", std::to_string(state.epoch)},
                                 {"step", std::to_string(state.step)},
                                 {"rng", state.rng},
                                 {"config", state.config}});
    }

    std::string device() const override { return "cpu"; }

private:
    void adamw(torch::Tensor& p, torch::Tensor& m, torch::Tensor& v, double lr, long t) const {
        constexpr double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        torch::NoGradGuard noGrad;
        const auto& g = p.grad();
        p.mul_(1.0 - lr * m_config.weightDecay);
        m.mul_(beta1).add_(g, 1.0 - beta1);
        v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
        const double bc1 = 1.0 - std::pow(beta1, static_cast<double>(t)),
                     bc2 = 1.0 - std::pow(beta2, static_cast<double>(t));
        p.addcdiv_(m, v.sqrt() / std::sqrt(bc2) + eps, -lr / bc1);
    }

    TrainConfig m_config;
    std::shared_ptr<EncoderGlove> m_glove;
    std::int64_t m_d;
    torch::Tensor m_questions, m_paragraphs; // frozen GloVe mean vectors of the training split
    std::vector<std::int64_t> m_firstRow;    // first paragraph row of each paper
    std::vector<int> m_paperOf;              // paper of each question
    torch::Tensor m_wq, m_wp, m_mq, m_vq, m_mp, m_vp;
};

} // namespace

Result<std::unique_ptr<EncoderTrainer>> makeGloveTrainer(const TrainConfig& config, const Dataset& train, bool resume) {
    auto glove = EncoderGlove::load(config.gloveDir);
    if (!glove)
        return fail(glove.error());
    auto t = std::make_unique<GloveTrainer>(config, std::shared_ptr<EncoderGlove>(std::move(glove.value())), train);
    if (resume)
        if (auto s = t->restore(); !s)
            return fail(s.error());
    return std::unique_ptr<EncoderTrainer>(std::move(t));
}

} // namespace uae::detail

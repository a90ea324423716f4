#include "uae/encoder_uae.h"

#include "uae/encoder_glove.h"
#include "uae/safetensors.h"
#include "uae/sha256.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace uae {

EncoderUaeGlove::EncoderUaeGlove(std::shared_ptr<EncoderGlove> glove, std::vector<float> queryProjection,
                                 std::vector<float> passageProjection, std::string source)
    : m_glove(std::move(glove)), m_query(std::move(queryProjection)), m_passage(std::move(passageProjection)),
      m_source(std::move(source)) {}

int EncoderUaeGlove::dim() const {
    return m_glove->dim();
}

std::string EncoderUaeGlove::configJson() const {
    return nlohmann::json{{"encoder", "uae-glove"},
                          {"checkpoint", m_source},
                          {"dim", dim()},
                          {"base", nlohmann::json::parse(m_glove->configJson())}}
        .dump();
}

std::string EncoderUaeGlove::fingerprint() const {
    Sha256 h;
    h.update(m_query.data(), m_query.size() * sizeof(float));
    h.update(m_passage.data(), m_passage.size() * sizeof(float));
    return nlohmann::json{{"encoder", "uae-glove"}, {"projections_sha256", h.hex()}, {"base", m_glove->fingerprint()}}
        .dump();
}

std::vector<float> EncoderUaeGlove::encode(const std::vector<std::string>& texts, EncodeRole role) {
    const int d = dim();
    const auto& w = role == EncodeRole::Query ? m_query : m_passage;
    const auto x = m_glove->encode(texts, role);
    std::vector<float> out(x.size(), 0.0f);
    for (size_t r = 0; r < texts.size(); ++r) {
        const float* in = x.data() + r * static_cast<size_t>(d);
        float* y = out.data() + r * static_cast<size_t>(d);
        double norm = 0;
        for (int i = 0; i < d; ++i) {
            double s = 0;
            for (int j = 0; j < d; ++j)
                s += static_cast<double>(w[static_cast<size_t>(i * d + j)]) * in[j];
            y[i] = static_cast<float>(s);
            norm += s * s;
        }
        if (norm > 0)
            for (int i = 0; i < d; ++i)
                y[i] = static_cast<float>(y[i] / std::sqrt(norm));
    }
    return out;
}

Status EncoderUaeGlove::save(const std::string& path, const std::map<std::string, std::string>& metadata) const {
    const std::int64_t d = dim();
    return writeSafetensors(
        path, {{"query_projection", {d, d}, m_query.data()}, {"passage_projection", {d, d}, m_passage.data()}},
        metadata);
}

Result<std::unique_ptr<EncoderUaeGlove>> EncoderUaeGlove::load(const std::string& checkpoint,
                                                               const std::string& gloveDir) {
    auto file = SafetensorsFile::open(checkpoint);
    if (!file)
        return fail(file.error());
    const auto& meta = file.value()->metadata();
    std::string dir = gloveDir;
    if (dir.empty() && meta.count("glove"))
        dir = meta.at("glove");
    if (dir.empty())
        return fail(checkpoint + ": no GloVe folder in its metadata; give one");
    auto glove = EncoderGlove::load(dir);
    if (!glove)
        return fail(glove.error());
    const std::int64_t d = glove.value()->dim();
    for (const char* name : {"query_projection", "passage_projection"}) {
        const TensorInfo* t = file.value()->find(name);
        if (!t || t->shape != std::vector<std::int64_t>{d, d})
            return fail(checkpoint + ": tensor '" + name + "' missing or not [" + std::to_string(d) + ", " +
                        std::to_string(d) + "] as the GloVe vectors need");
    }
    auto q = file.value()->readFloat32("query_projection");
    auto p = file.value()->readFloat32("passage_projection");
    if (!q || !p)
        return fail(!q ? q.error() : p.error());
    return std::make_unique<EncoderUaeGlove>(std::shared_ptr<EncoderGlove>(std::move(glove.value())),
                                             std::move(q.value()), std::move(p.value()), checkpoint);
}

} // namespace uae

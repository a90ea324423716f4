#include "uae/encoder_bert.h"

#include "encoder_bert_impl.h"
#include "torch_placement.h"
#include "uae/tokenizer_wordpiece.h"
#include "unicode_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace uae {

EncoderBert::EncoderBert(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
EncoderBert::~EncoderBert() = default;

Result<std::unique_ptr<EncoderBert>> EncoderBert::load(const std::string& pathOrId, const BertOptions& options) {
    auto dir = resolveModelDir(pathOrId);
    if (!dir)
        return fail(dir.error());
    auto impl = std::make_unique<Impl>();
    impl->dir = dir.value();
    impl->options = options;
    auto config = BertConfig::load(impl->dir);
    if (!config)
        return fail(config.error());
    impl->config = config.value();
    if (options.pooling)
        impl->config.pooling = *options.pooling;
    if (options.queryInstruction)
        impl->config.queryInstruction = *options.queryInstruction;
    auto tok = TokenizerWordPiece::fromModelDir(impl->dir);
    if (!tok)
        return fail(tok.error());
    impl->tokenizer = std::shared_ptr<const TokenizerWordPiece>(std::move(tok.value()));
    if (impl->tokenizer->vocabSize() > impl->config.vocabSize)
        return fail(impl->dir + ": tokenizer has " + std::to_string(impl->tokenizer->vocabSize()) +
                    " tokens but config.json vocab_size is " + std::to_string(impl->config.vocabSize));
    // As sentence-transformers does: its max_seq_length when the folder has one, else the tokenizer's.
    impl->maxLength =
        std::min(impl->config.maxSeqLength > 0 ? impl->config.maxSeqLength : impl->tokenizer->modelMaxLength(),
                 impl->config.maxPositions);
    if (options.maxLength > 0)
        impl->maxLength = std::min(impl->maxLength, options.maxLength);
    auto where = detail::choosePlacement(options.device, options.dtype);
    if (!where)
        return fail(where.error());
    impl->device = where->device;
    impl->dtype = where->dtype;
    auto weights = WeightSet::open(impl->dir);
    if (!weights)
        return fail(weights.error());
    try {
        auto model = detail::BertModel::load(weights.value(), impl->dir, impl->config, impl->device, impl->dtype);
        if (!model)
            return fail(model.error());
        impl->model = std::move(model.value());
    } catch (const c10::Error& e) {
        return fail(impl->dir + ": cannot load weights: " + e.what_without_backtrace());
    }
    return std::unique_ptr<EncoderBert>(new EncoderBert(std::move(impl)));
}

std::string EncoderBert::configJson() const {
    const auto& c = m->config;
    auto j = nlohmann::json{{"encoder", "bert"},
                            {"model", m->dir},
                            {"layers", c.numLayers},
                            {"hidden", c.hiddenSize},
                            {"pooling", poolingName(c.pooling)},
                            {"query_instruction", c.queryInstruction},
                            {"max_length", m->maxLength},
                            {"device", m->device.str()},
                            {"dtype", detail::dtypeLabel(m->dtype)}};
    if (c.lowerCaseInput) // only then: what other models' runs, caches and indexes recorded stays as it was
        j["lower_case_input"] = true;
    return j.dump();
}

std::string EncoderBert::name() const {
    return m->options.method;
}
int EncoderBert::dim() const {
    return m->config.hiddenSize;
}
const Tokenizer& EncoderBert::tokenizer() const {
    return *m->tokenizer;
}
const BertConfig& EncoderBert::config() const {
    return m->config;
}
std::string EncoderBert::device() const {
    return m->device.str() + " " + detail::dtypeLabel(m->dtype);
}
EncodeStats EncoderBert::stats() const {
    return m->stats;
}

namespace {

// Python's str.lower(), as sentence-transformers applies it (full case mapping).
std::string lowerCased(const std::string& text) {
    std::u32string lower;
    for (const char32_t c : unicode::decode(text))
        unicode::appendLower(lower, c);
    std::string out;
    out.reserve(text.size());
    for (const char32_t c : lower)
        unicode::append(out, c);
    return out;
}

} // namespace

std::vector<float> EncoderBert::encode(const std::vector<std::string>& texts, EncodeRole role) {
    std::vector<Encoding> encodings;
    encodings.reserve(texts.size());
    const std::string& prefix = role == EncodeRole::Query ? m->config.queryInstruction : std::string();
    for (const auto& t : texts)
        encodings.push_back(
            m->tokenizer->encode(m->config.lowerCaseInput ? lowerCased(prefix + t) : prefix + t, m->maxLength));
    return m->run(encodings);
}

std::vector<float> EncoderBert::encodeIds(const std::vector<std::vector<std::int32_t>>& ids) {
    std::vector<Encoding> encodings;
    for (const auto& row : ids)
        encodings.push_back(Encoding{row, std::vector<std::int32_t>(row.size(), 0), {}});
    return m->run(encodings);
}

std::vector<float> EncoderBert::Impl::run(const std::vector<Encoding>& encodings) {
    const int H = config.hiddenSize;
    std::vector<float> out(encodings.size() * static_cast<size_t>(H), 0.0f);
    // Longest first, so each batch pads only to its own longest member and batches shrink
    // as sequences get shorter.
    std::vector<size_t> order(encodings.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return encodings[a].ids.size() > encodings[b].ids.size(); });
    c10::InferenceMode guard;
    size_t start = 0;
    while (start < order.size()) {
        const auto T = static_cast<std::int64_t>(std::max<size_t>(1, encodings[order[start]].ids.size()));
        size_t end = start + 1;
        // A batch also ends where the next text is under 3/4 of its longest: padding it further
        // would cost more than a smaller matrix product saves.
        while (end < order.size() && static_cast<int>(end - start) < options.maxBatch &&
               static_cast<std::int64_t>(end - start + 1) * T <= options.maxTokensPerBatch &&
               4 * static_cast<std::int64_t>(encodings[order[end]].ids.size()) >= 3 * T)
            ++end;
        const auto B = static_cast<std::int64_t>(end - start);
        std::vector<const Encoding*> batch;
        for (size_t i = start; i < end; ++i)
            batch.push_back(&encodings[order[i]]);
        const auto tb = detail::padBatch(batch, tokenizer->padId(), device);
        stats.tokens += tb.tokens;
        auto pooled = model.embed(tb.ids, tb.types, tb.mask).to(torch::kCPU).contiguous();
        const float* p = pooled.data_ptr<float>();
        for (std::int64_t b = 0; b < B; ++b)
            std::copy(p + b * H, p + (b + 1) * H,
                      out.begin() +
                          static_cast<std::ptrdiff_t>(order[start + static_cast<size_t>(b)] * static_cast<size_t>(H)));
        stats.sequences += B;
        stats.batches += 1;
        stats.paddedTokens += static_cast<long>(B * T);
        start = end;
    }
    return out;
}

} // namespace uae

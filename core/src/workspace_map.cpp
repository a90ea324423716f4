// Workspace: the embedding map of a split (embedding_map.h).
#include "uae/workspace.h"

#include "uae/encoder.h"
#include "uae/qasper.h"

#include <exception>

namespace uae {

namespace {

EvalJobConfig encoderConfig(const EmbeddingMapConfig& config, size_t i) {
    EvalJobConfig eval;
    eval.method = config.methods[i];
    eval.split = config.split;
    eval.dataPath = config.dataPath;
    eval.device = config.device;
    eval.batch = config.batch;
    if (i < config.modelPaths.size())
        eval.modelPath = config.modelPaths[i];
    return eval;
}

} // namespace

Result<EmbeddingMap> Workspace::embeddingMap(const EmbeddingMapConfig& config, const JobContext& ctx,
                                             std::shared_ptr<const Dataset> loaded) {
    if (config.methods.empty())
        return fail("embedding map: no method to show");
    std::vector<std::shared_ptr<Encoder>> encoders;
    std::string dataPath = config.dataPath;
    try { // LibTorch and FAISS throw: the error names the method, never crosses a thread
        for (size_t i = 0; i < config.methods.size(); ++i) {
            EvalJobConfig eval = encoderConfig(config, i);
            if (auto s = resolve(eval); !s)
                return fail(config.methods[i] + ": " + s.error());
            dataPath = eval.dataPath;
            auto encoder = makeEncoder(eval);
            if (!encoder)
                return fail(config.methods[i] + ": " + encoder.error());
            if (const auto w = encoder.value()->warning(); !w.empty())
                ctx.warn(w);
            encoders.push_back(encoder.value());
        }
        auto data = dataset(dataPath, config.split, loaded);
        if (!data)
            return fail(data.error());
        return buildEmbeddingMap(*data.value(), config.methods, encoders, config.limit, ctx);
    } catch (const std::exception& e) {
        return fail("embedding map: " + std::string(e.what()));
    }
}

} // namespace uae

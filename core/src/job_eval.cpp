#include "uae/job_eval.h"

#include "uae/model_registry.h"

#include "job_run.h"

#include "uae/bm25.h"
#include "uae/device.h"
#include "uae/encoder_bert.h"
#include "uae/encoder_towers.h"
#include "uae/model_files.h"
#include "uae/causal_lm.h"
#include "uae/encoder_glove.h"
#include "uae/encoder_uae.h"
#include "uae/retriever_llm_rerank.h"
#include "uae/qasper.h"
#include "uae/retriever_dense.h"
#include "uae/store.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <filesystem>

namespace uae {

namespace {

BertOptions bertOptions(const EvalJobConfig& config, const std::string& method) {
    BertOptions options;
    options.device = config.device;
    options.dtype = config.dtype;
    options.maxBatch = config.batch;
    options.method = method;
    return options;
}

Result<std::shared_ptr<Encoder>> gloveEncoder(const EvalJobConfig& config) {
    if (config.modelPath.empty())
        return fail("method glove needs the GloVe model folder (--model DIR or $UAE_GLOVE_DIR)");
    auto encoder = EncoderGlove::load(config.modelPath);
    if (!encoder)
        return fail(encoder.error());
    return std::shared_ptr<Encoder>(std::move(encoder.value()));
}

// "bert:NAME" names a fetched model (uae models); so does --model NAME with plain "bert". Either
// way the run is stored as "bert:NAME", so several real encoders stay apart.
Result<std::shared_ptr<Encoder>> namedBertEncoder(const EvalJobConfig& config, const std::string& named) {
    EvalJobConfig c = config;
    if (!named.empty() && c.modelPath.empty())
        c.modelPath = named;
    if (c.modelPath.empty())
        return fail("method bert needs a model folder, Hugging Face id or fetched model name (--model)");
    return loadBaseBert(c.modelPath, bertOptions(c, config.method), c.cacheDir);
}

Result<std::unique_ptr<Retriever>> llmRerankRetriever(const EvalJobConfig& config) {
    if (config.modelPath.empty())
        return fail("method llm-rerank needs a causal LM (--model: a llama2.c .bin or a Hugging Face folder)");
    auto lm = CausalLm::load(config.modelPath, LmOptions{config.device, config.dtype});
    if (!lm)
        return fail(lm.error());
    if (!lm.value()->tokenizer())
        return fail(config.modelPath + ": the model has no tokenizer this build can read");
    return std::unique_ptr<Retriever>(std::make_unique<RetrieverLlmRerank>(
        std::make_unique<Bm25Retriever>(), std::shared_ptr<CausalLm>(std::move(lm.value())),
        std::filesystem::path(config.modelPath).filename().string(), config.rerankK));
}

Result<std::shared_ptr<Encoder>> uaeEncoder(const EvalJobConfig& config) {
    if (config.modelPath.empty())
        return fail("method uae needs a trained checkpoint (--run TRAIN_RUN or --model FILE)");
    if (std::filesystem::is_directory(config.modelPath)) // UAE-BERT: a Hugging Face folder (and its towers file)
        return loadUaeBert(config.modelPath, bertOptions(config, "uae"), config.cacheDir);
    auto encoder = EncoderUaeGlove::load(config.modelPath);
    if (!encoder)
        return fail(encoder.error());
    return std::shared_ptr<Encoder>(std::move(encoder.value()));
}

} // namespace

Result<std::shared_ptr<Encoder>> makeEncoder(const EvalJobConfig& config) {
    const auto id = parseMethod(config.method);
    if (!id)
        return fail("unknown method '" + config.method + "' (known: bm25, glove, bert, bert:NAME, llm-rerank, uae)");
    switch (id->method) {
    case Method::Glove:
        return gloveEncoder(config);
    case Method::Bert:
        return namedBertEncoder(config, id->model);
    case Method::Uae:
        return uaeEncoder(config);
    case Method::Bm25:
    case Method::LlmRerank:
        break;
    }
    return fail("method '" + config.method + "' ranks without an encoder: it has no vectors to show");
}

Result<std::unique_ptr<Retriever>> makeRetriever(const EvalJobConfig& config) {
    const auto id = parseMethod(config.method);
    if (!id)
        return fail("unknown method '" + config.method + "' (known: bm25, glove, bert, bert:NAME, llm-rerank, uae)");
    if (id->method == Method::Bm25)
        return std::unique_ptr<Retriever>(std::make_unique<Bm25Retriever>());
    if (id->method == Method::LlmRerank)
        return llmRerankRetriever(config);
    auto encoder = makeEncoder(config);
    if (!encoder)
        return fail(encoder.error());
    return std::unique_ptr<Retriever>(std::make_unique<RetrieverDense>(encoder.value()));
}

Status storeEvalSummary(Store& store, std::int64_t run, const EvalSummary& s) {
    std::vector<std::pair<std::string, double>> values;
    for (int m = 0; m < kMetricCount; ++m)
        values.emplace_back(metricName(static_cast<Metric>(m)), s.mean.v[m]);
    values.insert(values.end(), {{"evidence_f1_all", s.evidenceF1All},
                                 {"questions", double(s.questions)},
                                 {"evaluated", double(s.evaluated)},
                                 {"latency_ms", s.meanLatencyMs},
                                 {"query_latency_ms", s.meanQueryLatencyMs},
                                 {"preparation_ms", s.preparationMs}});
    return store.addMetrics(run, 0, values);
}

bool isCorpusRun(const std::string& runConfigJson) {
    const auto j = nlohmann::json::parse(runConfigJson, nullptr, false);
    return j.is_object() && j.contains("pool") && j["pool"] == "corpus";
}

EvalJobResult runEvalJob(Store& store, const Dataset& data, Retriever& retriever, const EvalJobConfig& config,
                         const JobContext& ctx) {
    EvalJobResult out;
    auto config_ = nlohmann::json::parse(config.toJson());
    config_["retriever"] = nlohmann::json::parse(retriever.configJson());
    auto run = store.beginRun(RunKind::Eval, retriever.method(), config.split, config_.dump(),
                              detail::deviceOf(retriever.configJson()));
    if (!run)
        return detail::failedBeforeRun(std::move(out), run.error());
    out.runId = run.value();
    return detail::recordRun(store, std::move(out), [&](EvalJobResult& out) -> Result<RunStatus> {
        std::vector<QuestionResult> pending;
        Status writeStatus = Ok{};
        auto flush = [&] {
            if (writeStatus && !pending.empty())
                writeStatus = store.addQuestionResults(out.runId, pending);
            pending.clear();
        };
        out.outcome = evaluate(
            data, retriever, ctx,
            [&](const QuestionResult& r) {
                pending.push_back(r);
                if (pending.size() >= 64)
                    flush();
            },
            config.limit, config.pool == "corpus" ? kCorpusKeptRanks : 0);
        flush();
        if (!writeStatus)
            return fail(writeStatus.error());
        if (auto s = storeEvalSummary(store, out.runId, out.outcome.summary); !s)
            return fail(s.error());
        return out.outcome.cancelled ? RunStatus::Cancelled : RunStatus::Finished;
    });
}

} // namespace uae

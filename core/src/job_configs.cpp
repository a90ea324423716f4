// The field tables of the job configs: every setting's JSON key, option, help and range, once.
#include "config_tables.h"

#include <algorithm>

#include "uae/bert_config.h"
#include "uae/device.h"
#include "uae/job_answer.h"
#include "uae/model_files.h"
#include "uae/model_registry.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/shard.h"

static_assert(std::is_same_v<std::int64_t, long>, "run ids bind as long fields");

namespace uae {

namespace detail {

FieldSpec deviceSpec(std::string key) {
    FieldSpec s = text(std::move(key), "device", "where neural models compute");
    s.check = [](const std::string& v) -> std::string {
        if (v == "auto" || v == "cpu" || v == "cuda")
            return {};
        if (v.starts_with("cuda:") && v.size() > 5 && v.find_first_not_of("0123456789", 5) == std::string::npos)
            return {};
        return "'" + v + "' is not a device";
    };
    s.checkAllowed = "auto, cpu, cuda or cuda:N";
    return s;
}

FieldSpec dtypeSpec() {
    return choice("dtype", "dtype", "weights' precision for neural models", {"auto", "float32", "float16", "bfloat16"});
}

FieldSpec methodSpec() {
    FieldSpec s = text("method", "method", "how to rank", true);
    s.check = [](const std::string& v) { return parseMethod(v) ? std::string() : "'" + v + "' is not a method"; };
    s.checkAllowed = "bm25, glove, bert, bert:NAME, llm-rerank or uae";
    return s;
}

FieldSpec shardSpec() {
    FieldSpec s = text("shard", "shard",
                       "label only share I of N (0-based; questions dealt round-robin by sorted id) into this "
                       "workspace; uae merge joins the shards");
    s.check = shardProblem;
    s.checkAllowed = "I/N with 0 <= I < N, e.g. 0/4";
    return s;
}

} // namespace detail

using namespace detail;

namespace {

ChoiceRef encoderRef(EncoderKind& e) {
    return ChoiceRef{[&e] { return std::string(toString(e)); },
                     [&e](const std::string& name) {
                         auto parsed = parseEncoder(name);
                         return parsed ? (e = *parsed, true) : false;
                     }};
}

ChoiceRef lossRef(UaeLoss& l) {
    return ChoiceRef{[&l] { return std::string(uaeLossName(l)); },
                     [&l](const std::string& name) { return parseUaeLoss(name, l); }};
}

} // namespace

const std::vector<Field<TrainConfig>>& TrainConfig::fieldTable() {
    using C = TrainConfig;
    static const std::vector<Field<C>> table{
        {choice("encoder", "encoder", "what UAE fine-tunes", encoderNames()),
         [](C& c) { return encoderRef(c.encoder); }},
        {text("glove", "", "GloVe folder (encoder glove)"), [](C& c) { return &c.gloveDir; }},
        {text("model", "model", "BERT-family folder, Hugging Face id or fetched name; GloVe folder for glove"),
         [](C& c) { return &c.modelDir; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {flag("mixed_precision", "no-mixed-precision", "bfloat16 autocast on CUDA (the option turns it off)", true),
         [](C& c) { return &c.mixedPrecision; }},
        {integer("max_tokens", "max-tokens", "BERT: passage tokens kept", 8, 8192), [](C& c) { return &c.maxTokens; }},
        {choice(
             "towers", "towers",
             "BERT: query (passage tower frozen, vectors from the cache), both, or auto (query on CPU, both on CUDA)",
             {"auto", "query", "both"}),
         [](C& c) { return &c.towers; }},
        {text("split", "split", "split whose labels train", true), [](C& c) { return &c.split; }},
        {text("eval_split", "eval-split", "held-out split evaluated during training", true),
         [](C& c) { return &c.evalSplit; }},
        {text("labels.scorer", "labels", "scorer whose labels train (uae runs lists them)", true),
         [](C& c) { return &c.scorer; }},
        {text("labels.prompt_version", "prompt-version", "prompt version of those labels (dirichlet: its own)"),
         [](C& c) { return &c.promptVersion; }},
        {choice("loss", "loss", "soft, masked, hybrid or the gold-only ablation", {"soft", "masked", "hybrid", "gold"}),
         [](C& c) { return lossRef(c.loss.variant); }},
        {real("tau_s", "tau-s", "student temperature", 0, 100, true), [](C& c) { return &c.loss.tauS; }},
        {real("tau_t", "tau-t", "teacher temperature", 0, 100, true), [](C& c) { return &c.loss.tauT; }},
        {real("lambda", "lambda", "hybrid: weight of the KL term", 0, 1000, false),
         [](C& c) { return &c.loss.lambda; }},
        {integer("epochs", "epochs", "passes over the labelled questions", 1, 1000), [](C& c) { return &c.epochs; }},
        {integer("batch_questions", "batch", "questions per batch", 1, 4096), [](C& c) { return &c.batchQuestions; }},
        {integer("accumulate", "accumulate", "batches per optimizer step", 1, 1024),
         [](C& c) { return &c.accumulate; }},
        {integer("max_candidates", "max-candidates", "candidates per question (teacher's top)", 2, 1024),
         [](C& c) { return &c.maxCandidates; }},
        {real("lr", "lr", "peak learning rate", 0, 10, true), [](C& c) { return &c.lr; }},
        {real("weight_decay", "weight-decay", "AdamW weight decay", 0, 10, false), [](C& c) { return &c.weightDecay; }},
        {real("warmup_fraction", "warmup", "share of steps warming up", 0, 1, false),
         [](C& c) { return &c.warmupFraction; }},
        {real("clip", "", "gradient norm clip", 0, 1e6, true), [](C& c) { return &c.clip; }},
        {integer("seed", "seed", "random seed", 0, 2147483647), [](C& c) { return &c.seed; }},
        {integer("eval_every", "eval-every", "also evaluate every N steps (0: each epoch)", 0, kNoLimit),
         [](C& c) { return &c.evalEvery; }},
        {integer("eval_limit", "eval-limit", "evaluate on the first N questions (0: all)", 0, kNoLimit),
         [](C& c) { return &c.evalLimit; }},
        {integer("", "resume", "continue this training run from its last checkpoint (0: a new run)", 0, 1e15),
         [](C& c) { return &c.resumeRun; }},
        {flag("", "distributed",
              "data-parallel: join the group the launcher describes (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT)"),
         [](C& c) { return &c.distributed; }},
        {choice("negatives", "negatives",
                "distributed: in-batch negatives gathered from all ranks (= one process) or local to each rank",
                {"gathered", "local"}),
         [](C& c) { return &c.negatives; }},
        {integer("", "dist-timeout", "distributed: seconds to wait for the other ranks before failing", 1, 86400),
         [](C& c) { return &c.distTimeout; }},
    };
    return table;
}

std::string TrainConfig::jsonExtra() {
    return R"({"optimizer":"AdamW","schedule":"linear warm-up, linear decay"})";
}

TrainConfig TrainConfig::forEncoder(EncoderKind encoder) {
    TrainConfig c;
    c.encoder = encoder;
    if (encoder == EncoderKind::Bert) {
        c.maxCandidates = 16;
        c.lr = 2e-5;
        c.batchQuestions = 8;
        c.epochs = 1;
        c.evalLimit = 200;
    }
    return c;
}

TrainConfig TrainConfig::forModel(const std::string& model) {
    TrainConfig c = forEncoder(EncoderKind::Bert);
    c.modelDir = model;
    if (auto dir = resolveModelDir(model))
        if (auto bert = BertConfig::load(dir.value())) {
            const int limit = bert->maxSeqLength > 0 ? bert->maxSeqLength : bert->maxPositions;
            c.maxTokens = std::clamp(limit, 8, 8192);
        }
    return c;
}

TrainConfig TrainConfig::preset(EncoderKind encoder, const std::string& model) {
    return encoder == EncoderKind::Bert && !model.empty() ? forModel(model) : forEncoder(encoder);
}

std::string TrainConfig::resolvedTowers() const {
    if (encoder != EncoderKind::Bert)
        return "both"; // UAE-GloVe trains its query and passage projections together
    if (towers != "auto")
        return towers;
    const bool cuda = device.starts_with("cuda") || (device == "auto" && currentDevice().cuda);
    return cuda ? "both" : "query";
}

LabelJobConfig LabelJobConfig::forModel(const std::string& model) {
    LabelJobConfig c;
    c.scorer = "lm";
    c.model = model;
    c.topK = 20; // an LLM forward per candidate: BM25's top 20 (plus the gold), not the whole paper
    c.prompt = isInstructModel(model) ? "chat" : "plain";
    return c;
}

const std::vector<Field<EvalJobConfig>>& EvalJobConfig::fieldTable() {
    using C = EvalJobConfig;
    static const std::vector<Field<C>> table{
        {methodSpec(), [](C& c) { return &c.method; }},
        {text("split", "split", "QASPER split", true), [](C& c) { return &c.split; }},
        {text("data", "data", "QASPER folder or file, or BEIR folder"), [](C& c) { return &c.dataPath; }},
        {text("model", "model", "model folder, id, fetched name or checkpoint"), [](C& c) { return &c.modelPath; }},
        {integer("limit", "limit", "first N questions (0: all)", 0, kNoLimit), [](C& c) { return &c.limit; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {integer("batch", "batch", "sequences per forward pass", 1, 4096), [](C& c) { return &c.batch; }},
        {integer("rerank_k", "rerank-k", "llm-rerank: BM25 candidates re-ordered", 1, 1000),
         [](C& c) { return &c.rerankK; }},
        {text("cache", "", "embedding cache folder"), [](C& c) { return &c.cacheDir; }},
        {flag("use_cache", "no-cache",
              "neural encoders: keep passage vectors in the workspace's cache (the option turns it off)", true),
         [](C& c) { return &c.useCache; }},
        {integer("train_run", "run", "method uae: the training run whose model ranks", 0, 1e15),
         [](C& c) { return &c.trainRun; }},
        {choice("pool", "pool", "rank against the question's paper or the whole split's paragraphs",
                {"paper", "corpus"}),
         [](C& c) { return &c.pool; }},
        {text("index", "index",
              "pool corpus: search a stored FAISS index of this factory string (Flat, HNSW32, "
              "IVF4096,Flat...); empty: exact search in memory"),
         [](C& c) { return &c.index; }},
        {integer("nprobe", "nprobe", "IVF index: inverted lists visited per query (0: FAISS's default)", 0, 65536),
         [](C& c) { return &c.nprobe; }},
        {integer("ef_search", "ef-search", "HNSW index: candidate list size (0: FAISS's default)", 0, 65536),
         [](C& c) { return &c.efSearch; }},
    };
    return table;
}

const std::vector<Field<LabelJobConfig>>& LabelJobConfig::fieldTable() {
    using C = LabelJobConfig;
    static const std::vector<Field<C>> table{
        {choice("scorer", "scorer", "who judges utility", {"dirichlet", "lm"}), [](C& c) { return &c.scorer; }},
        {text("split", "split", "QASPER split", true), [](C& c) { return &c.split; }},
        {text("data", "data", "QASPER folder or file, or BEIR folder"), [](C& c) { return &c.dataPath; }},
        {real("mu", "mu", "Dirichlet prior mass", 0, 1e7, true), [](C& c) { return &c.mu; }},
        {real("tau_t", "tau-t", "teacher temperature of the reported statistics", 0, 100, true),
         [](C& c) { return &c.tauT; }},
        {integer("top_k", "top-k", "candidates: BM25's top K (0: every paragraph)", 0, 100000),
         [](C& c) { return &c.topK; }},
        {integer("limit", "limit", "first N questions (0: all)", 0, kNoLimit), [](C& c) { return &c.limit; }},
        {text("model", "model", "lm scorer: llama2.c .bin, GGUF, folder or fetched name"),
         [](C& c) { return &c.model; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {choice("prompt", "prompt", "lm scorer: plain text, or chat turns for an instruct model", {"plain", "chat"}),
         [](C& c) { return &c.prompt; }},
        {shardSpec(), [](C& c) { return &c.shard; }},
    };
    return table;
}

std::string LabelJobConfig::jsonExtra() {
    return R"({"answers":"answerable references, mean utility"})";
}

const std::vector<Field<AnswerJobConfig>>& AnswerJobConfig::fieldTable() {
    using C = AnswerJobConfig;
    static const std::vector<Field<C>> table{
        {integer("eval_run", "", "retrieval run read", 0, 1e15), [](C& c) { return &c.evalRun; }},
        {choice("reader", "reader", "who answers", {"extractive", "lm"}), [](C& c) { return &c.reader; }},
        {text("model", "model", "lm reader: llama2.c .bin, GGUF, folder or fetched name"),
         [](C& c) { return &c.model; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {integer("k", "k", "paragraphs given to the reader", 1, 100), [](C& c) { return &c.k; }},
        {integer("max_new_tokens", "max-new-tokens", "lm reader: answer length limit", 1, 4096),
         [](C& c) { return &c.maxNewTokens; }},
        {text("stop", "stop",
              "lm reader: the answer ends before this (\\n: a line break; auto: a line break for plain "
              "prompts, the end of the turn for chat)"),
         [](C& c) { return &c.stop; }},
        {choice("prompt", "prompt", "lm reader: plain text, chat turns, or auto (chat for an instruct model)",
                {"auto", "plain", "chat"}),
         [](C& c) { return &c.prompt; }},
        {integer("limit", "limit", "first N questions (0: all)", 0, kNoLimit), [](C& c) { return &c.limit; }},
    };
    return table;
}

std::string AnswerJobConfig::resolvedPrompt() const {
    if (prompt != "auto")
        return prompt;
    return reader == "lm" && isInstructModel(model) ? "chat" : "plain";
}

std::vector<std::string> AnswerJobConfig::resolvedStops() const {
    if (stop != "auto")
        return {stop};
    if (resolvedPrompt() == "chat")
        return {}; // the end-of-turn token ends the reply
    return {"\n"};
}

} // namespace uae

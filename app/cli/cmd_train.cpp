// uae train: UAE-GloVe or UAE-BERT on stored utility labels (see job_train.h).
#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/device.h"
#include "uae/job_train.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace uae::cli {

int cmdTrain(const Args& args) {
    if (rejectUnknown(args, "train", {"encoder", "model", "labels", "prompt-version", "split", "eval-split", "data", "loss",
                                      "tau-s", "tau-t", "lambda", "epochs", "batch", "max-candidates", "lr",
                                      "weight-decay", "seed", "quiet", "resume", "accumulate", "eval-every",
                                      "eval-limit", "max-tokens", "device", "no-mixed-precision", "warmup"}))
        return 2;
    configureThreads(static_cast<int>(args.getLong("threads", 0)));
    TrainConfig c;
    c.encoder = args.get("encoder", "glove");
    if (c.encoder == "glove") {
        c.gloveDir = findGloveDir(args.get("model"));
    } else if (c.encoder == "bert") {
        c.modelDir = args.get("model");
        if (c.modelDir.empty() && !args.has("resume")) {
            std::fprintf(stderr, "uae train: --encoder bert needs --model DIR|ORG/NAME (a BERT-family checkpoint)\n");
            return 2;
        }
        c.maxCandidates = 16; // a BERT forward per candidate: smaller groups by default
        c.lr = 2e-5;
        c.batchQuestions = 8;
    } else {
        std::fprintf(stderr, "uae train: --encoder is glove or bert\n");
        return 2;
    }
    c.device = args.get("device", c.device);
    c.mixedPrecision = !args.has("no-mixed-precision");
    c.maxTokens = static_cast<int>(args.getLong("max-tokens", c.maxTokens));
    c.accumulate = static_cast<int>(args.getLong("accumulate", c.accumulate));
    c.evalEvery = static_cast<int>(args.getLong("eval-every", c.evalEvery));
    c.evalLimit = args.getLong("eval-limit", c.encoder == "bert" ? 200 : 0);
    c.warmupFraction = std::stod(args.get("warmup", std::to_string(c.warmupFraction)));
    c.scorer = args.get("labels", c.scorer);
    c.promptVersion = args.get("prompt-version", c.scorer == "dirichlet" ? c.promptVersion : "");
    if (c.promptVersion.empty()) {
        std::fprintf(stderr, "uae train: give --prompt-version for %s labels (uae runs shows them)\n", c.scorer.c_str());
        return 2;
    }
    c.split = args.get("split", c.split);
    c.evalSplit = args.get("eval-split", c.evalSplit);
    if (!parseUaeLoss(args.get("loss", "soft"), c.loss.variant)) {
        std::fprintf(stderr, "uae train: --loss is soft, masked, hybrid or gold\n");
        return 2;
    }
    c.loss.tauS = std::stod(args.get("tau-s", std::to_string(c.loss.tauS)));
    c.loss.tauT = std::stod(args.get("tau-t", std::to_string(c.loss.tauT)));
    c.loss.lambda = std::stod(args.get("lambda", std::to_string(c.loss.lambda)));
    c.epochs = static_cast<int>(args.getLong("epochs", c.epochs));
    c.batchQuestions = static_cast<int>(args.getLong("batch", c.batchQuestions));
    c.maxCandidates = static_cast<int>(args.getLong("max-candidates", c.maxCandidates));
    c.lr = std::stod(args.get("lr", std::to_string(c.lr)));
    c.weightDecay = std::stod(args.get("weight-decay", std::to_string(c.weightDecay)));
    c.seed = static_cast<int>(args.getLong("seed", c.seed));
    c.resumeRun = args.getLong("resume", 0); // settings then come from the run's checkpoint
    auto store = openWorkspace(args);
    if (!store)
        return 1;
    if (c.resumeRun) { // the run's own splits
        auto run = store->run(c.resumeRun);
        if (!run) {
            std::fprintf(stderr, "uae train: %s\n", run.error().c_str());
            return 1;
        }
        const auto saved = nlohmann::json::parse(run->configJson, nullptr, false);
        c.split = saved.value("split", c.split);
        c.evalSplit = saved.value("eval_split", c.evalSplit);
    }
    const std::string dataDir = findQasperDir(args.get("data"));
    auto train = loadSplit(dataDir, c.split);
    auto eval = train ? loadSplit(dataDir, c.evalSplit) : std::nullopt;
    if (!train || !eval)
        return 1;
    JobContext ctx;
    ctx.cancelFlag = cancelOnSigint();
    ctx.onProgress = progressPrinter("train", args.has("quiet"), true);
    const auto r = runTrainJob(*store, *train, *eval, c, ctx);
    restoreSigint();
    if (r.status == "failed") {
        std::fprintf(stderr, "uae train: %s\n", r.error.c_str());
        return 1;
    }
    std::printf("run %lld  train  uae-%s (%s loss, %s labels)  %s  %s\n", static_cast<long long>(r.runId),
                c.encoder.c_str(), uaeLossName(c.loss.variant), c.promptVersion.c_str(), c.split.c_str(), r.status.c_str());
    std::printf("  %ld steps, %.2f questions/s\n", r.steps, r.examplesPerSecond);
    std::printf("  %s Recall@1 %.4f -> %.4f, MAP %.4f -> %.4f (untrained base -> trained)\n", c.evalSplit.c_str(),
                r.baseRecall1, r.evalRecall1, r.baseMap, r.evalMap);
    const auto where = trainedModelPath(store->path(), r.runId);
    std::printf("  checkpoint %s; rank with: uae eval --method uae --run %lld --split %s\n",
                where ? where.value().c_str() : "(none yet)", static_cast<long long>(r.runId), c.evalSplit.c_str());
    return r.status == "finished" ? 0 : 130;
}

} // namespace uae::cli

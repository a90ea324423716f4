// uae train: UAE-GloVe or UAE-BERT on stored utility labels (see job_train.h, workspace.h).
#include "cli_common.h"

#include "uae/distributed.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printTrainResult(const TrainResult& r, const TrainConfig& c, const Workspace& ws) {
    std::printf("run %lld  train  uae-%s (%s loss, %s labels)  %s  %s\n", static_cast<long long>(r.runId),
                toString(c.encoder), uaeLossName(c.loss.variant), c.promptVersion.c_str(), c.split.c_str(),
                toString(r.status));
    std::printf("  %ld steps, %.2f questions/s\n", r.steps, r.examplesPerSecond);
    std::printf("  %s Recall@1 %.4f -> %.4f, MAP %.4f -> %.4f (untrained base -> trained)\n", c.evalSplit.c_str(),
                r.baseRecall1, r.evalRecall1, r.baseMap, r.evalMap);
    const auto where = ws.trainedModel(r.runId);
    std::printf("  checkpoint %s; rank with: uae eval --method uae --run %lld --split %s\n",
                where ? where.value().c_str() : "(none yet)", static_cast<long long>(r.runId), c.evalSplit.c_str());
}

int runTrain(const Args& args) {
    // The encoder's preset first, then every option given over it: as the GUI builds its config.
    TrainConfig probe;
    if (!parseConfig(args, "train", probe))
        return 2;
    TrainConfig c = TrainConfig::preset(probe.encoder, probe.modelDir);
    args.apply(c.fields());
    // Data parallel: ranks other than 0 read the workspace and stay quiet; rank 0 writes and reports.
    int rank = 0;
    if (c.distributed) {
        auto env = distributedEnv();
        if (!env) {
            std::fprintf(stderr, "uae train: %s\n", env.error().c_str());
            return 2;
        }
        rank = env->rank;
    }
    auto ws = openWorkspace(rank != 0);
    if (!ws)
        return 1;
    if (auto s = ws->resolve(c); !s) {
        std::fprintf(stderr, "uae train: %s\n", s.error().c_str());
        return 2;
    }
    const auto r = ws->train(c, args.get("data"), jobContext("train", args.has("quiet") || rank != 0, true));
    const std::string who = rank != 0 ? "train (rank " + std::to_string(rank) + ")" : "train";
    return report(who, r, r.runId, [&] {
        if (rank == 0)
            printTrainResult(r, c, *ws);
    });
}

} // namespace

Command addTrain(CLI::App& root) {
    Command c;
    newCommand(root, "train",
               "train UAE on stored utility labels (labelling the split first with the Dirichlet "
               "scorer when it has none); rank with eval --method uae --run RUN",
               c.args)
        .fields(TrainConfig{}.fields())
        .option("data", "QASPER folder or file, or BEIR folder")
        .flag("quiet", "no progress lines");
    c.run = runTrain;
    return c;
}

} // namespace uae::cli

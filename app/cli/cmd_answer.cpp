// uae answer: read answers from a stored retrieval run and score them (Answer-F1).
#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/device.h"
#include "uae/job_answer.h"
#include "uae/job_eval.h"

#include <cstdio>

namespace uae::cli {

int cmdAnswer(const Args& args) {
    if (rejectUnknown(args, "answer", {"reader", "model", "k", "limit", "data", "split", "device", "dtype", "max-new-tokens", "stop"}))
        return 2;
    if (args.positional().size() != 1) {
        std::fprintf(stderr, "uae answer: usage: uae answer RUN [--reader extractive|lm] [--model LM] [--k 3]\n");
        return 2;
    }
    configureThreads(static_cast<int>(args.getLong("threads", 0)));
    auto store = openWorkspace(args);
    if (!store)
        return 1;
    auto id = resolveRun(*store, args.positional()[0], args.get("split", "dev"));
    if (!id)
        return 1;
    auto run = store->run(*id);
    auto evalConfig = EvalJobConfig::fromJson(run->configJson);
    if (!evalConfig) {
        std::fprintf(stderr, "uae answer: run %lld: %s\n", static_cast<long long>(*id), evalConfig.error().c_str());
        return 1;
    }
    AnswerJobConfig config;
    config.evalRun = *id;
    config.reader = args.get("reader", config.reader);
    config.model = args.get("model");
    config.device = args.get("device", config.device);
    config.dtype = args.get("dtype", config.dtype);
    config.k = static_cast<int>(args.getLong("k", config.k));
    config.maxNewTokens = static_cast<int>(args.getLong("max-new-tokens", config.maxNewTokens));
    config.limit = args.getLong("limit", 0);
    if (args.has("stop")) // one stop string; "\n" in it means a line break
        config.stops = {[&] {
            std::string s = args.get("stop");
            for (size_t at; (at = s.find("\\n")) != std::string::npos;)
                s.replace(at, 2, "\n");
            return s;
        }()};
    auto reader = makeReader(config);
    if (!reader) {
        std::fprintf(stderr, "uae answer: %s\n", reader.error().c_str());
        return 2;
    }
    auto data = loadSplit(args.get("data", evalConfig->dataPath), run->split);
    if (!data)
        return 1;
    JobContext ctx;
    ctx.cancelFlag = cancelOnSigint();
    ctx.onProgress = progressPrinter("answer", false, false);
    const auto r = runAnswerJob(*store, *data, **reader, config, ctx);
    restoreSigint();
    if (r.status == "failed") {
        std::fprintf(stderr, "uae answer: run %lld failed: %s\n", static_cast<long long>(r.runId), r.error.c_str());
        return 1;
    }
    std::printf("run %lld  answer  %s from run %lld (%s, top %d)  %s\n", static_cast<long long>(r.runId),
                (*reader)->name().c_str(), static_cast<long long>(*id), run->method.c_str(), config.k, r.status.c_str());
    std::printf("  %ld questions, Answer-F1 %.4f\n", r.answered, r.meanF1);
    return r.status == "finished" ? 0 : 130;
}

} // namespace uae::cli

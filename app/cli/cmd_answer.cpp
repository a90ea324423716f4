// uae answer: read answers from a stored retrieval run and score them (Answer-F1).
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

int runAnswer(const Args& args) {
    AnswerJobConfig config;
    if (!parseConfig(args, "answer", config))
        return 2;
    if (args.positional().size() != 1) {
        std::fprintf(stderr, "uae answer: give one retrieval run (an id, or a method name: its latest run)\n");
        return 2;
    }
    for (size_t at; (at = config.stop.find("\\n")) != std::string::npos;) // "\n" typed on a command line
        config.stop.replace(at, 2, "\n");
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    auto id = resolveRun(ws->store(), args.positional()[0], args.get("split", EvalJobConfig{}.split));
    if (!id)
        return 1;
    config.evalRun = *id;
    const auto r = ws->answer(config, args.get("data"), jobContext("answer", false, false));
    return report("answer", r, r.runId, [&] {
        const auto run = ws->store().run(r.runId);
        std::printf("run %lld  answer  %s from run %lld (top %d)  %s\n", static_cast<long long>(r.runId),
                    run ? run->method.c_str() : "?", static_cast<long long>(*id), config.k, toString(r.status));
        std::printf("  %ld questions, Answer-F1 (token F1) %.4f, %.2f s per question\n", r.answered, r.meanF1,
                    r.msPerQuestion / 1000.0);
        if (config.reader == "lm")
            std::printf("  prompt %s\n", config.resolvedPrompt().c_str());
    });
}

} // namespace

Command addAnswer(CLI::App& root) {
    Command c;
    newCommand(root, "answer", "answer each question from a run's top-k paragraphs, store answers and Answer-F1",
               c.args)
        .fields(AnswerJobConfig{}.fields())
        .option("data", "QASPER folder or file, or BEIR folder (default: the run's own)")
        .option("split", "split whose latest run a method name means (default dev)")
        .positionals("RUN", "retrieval run: an id, or a method name meaning its latest finished run");
    c.run = runAnswer;
    return c;
}

} // namespace uae::cli

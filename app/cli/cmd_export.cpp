#include "cli_common.h"

#include "uae/comparison.h"
#include "uae/beir.h"
#include "uae/export.h"
#include "uae/job_eval.h"

#include <cstdio>

namespace uae::cli {

namespace {

// The split itself (not a run) as a BEIR folder: uae export --beir DIR [--data D] [--split S].
int runExportBeir(const Args& args) {
    if (!args.positional().empty() || args.has("trec") || args.has("qasper") || args.has("csv")) {
        std::fprintf(stderr,
                     "uae export: --beir writes a split, not a run: uae export --beir DIR [--data D] [--split S]\n");
        return 2;
    }
    auto data = loadSplit(args.get("data"), args.get("split", EvalJobConfig{}.split));
    if (!data)
        return 1;
    auto written = writeBeir(args.get("beir"), *data);
    if (!written) {
        std::fprintf(stderr, "uae export: %s\n", written.error().c_str());
        return 1;
    }
    std::printf("%s: %ld documents, %ld queries, %ld judgements (%s)\n", args.get("beir").c_str(), written->documents,
                written->queries, written->judgements, written->qrelsFile.c_str());
    return 0;
}

// The split a run ranked, as it ranked it (the corpus view for a corpus run): --data, else the run's own.
std::optional<Dataset> rankedData(const Args& args, const RunInfo& run) {
    auto config = EvalJobConfig::fromJson(run.configJson);
    if (!config) {
        std::fprintf(stderr, "uae export: run %lld: %s\n", static_cast<long long>(run.id), config.error().c_str());
        return std::nullopt;
    }
    auto data = loadSplit(args.get("data", config->dataPath), run.split, true);
    if (data && isCorpusRun(run.configJson)) // its indices point into the split's pool
        *data = corpusView(*data);
    return data;
}

// The files of one run: each written is added to `written`; false after printing a failure.
bool writeRunFiles(const Args& args, const Store& store, const RunInfo& run, const std::vector<QuestionResult>& results,
                   const std::string& prefix, std::vector<std::string>& written) {
    auto check = [&](const Status& s, const std::string& path) {
        if (!s)
            std::fprintf(stderr, "uae export: %s\n", s.error().c_str());
        else
            written.push_back(path);
        return s.ok();
    };
    // BEIR data keeps its own document ids in TREC files; QASPER's paragraphs are p<index>.
    const auto config = EvalJobConfig::fromJson(run.configJson);
    const bool beir = config && detectDataFormat(args.get("data", config->dataPath)) == DataFormat::Beir;
    std::optional<Dataset> data;
    if ((args.has("qasper") || (args.has("trec") && beir)) && !(data = rankedData(args, run)))
        return false;
    if (args.has("trec")) {
        const std::string tag = "uae-" + run.method + "-" + std::to_string(run.id);
        const DocnoFn docnos = beir ? datasetDocnos(*data) : DocnoFn{};
        if (!check(writeTrecRun(prefix + ".trec", results, tag, docnos), prefix + ".trec") ||
            !check(writeQrels(prefix + ".qrels", results, docnos), prefix + ".qrels"))
            return false;
    }
    if (args.has("csv") && !check(writeCsv(prefix + ".csv", results), prefix + ".csv"))
        return false;
    if (args.has("qasper")) {
        std::map<std::string, std::string> answers;
        if (auto stored = store.latestAnswers(run.id))
            for (const auto& a : *stored)
                answers[a.question] = a.answer;
        if (!check(writeQasperPredictions(prefix + ".predictions.jsonl", results, *data, answers),
                   prefix + ".predictions.jsonl") ||
            !check(writeQasperGold(prefix + ".gold.json", *data), prefix + ".gold.json"))
            return false;
    }
    return true;
}

int runExport(const Args& args) {
    if (args.has("beir"))
        return runExportBeir(args);
    if (args.positional().size() != 1 || !(args.has("trec") || args.has("qasper") || args.has("csv"))) {
        std::fprintf(
            stderr, "uae export: usage: uae export RUN --trec|--qasper|--csv [--out PREFIX] | uae export --beir DIR\n");
        return 2;
    }
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const Store* store = &ws->store();
    auto id = resolveRun(*store, args.positional()[0], args.get("split", EvalJobConfig{}.split));
    if (!id)
        return 1;
    auto run = store->run(*id);
    auto results = store->questionResults(*id);
    if (!run || !results) {
        std::fprintf(stderr, "uae export: %s\n", (!run ? run.error() : results.error()).c_str());
        return 1;
    }
    if (const auto note = partialRunNote(*run, results->size()); !note.empty())
        std::fprintf(stderr, "uae export: warning: %s\n", note.c_str());
    const std::string prefix = args.get("out", ws->exportsDir() + "/run-" + std::to_string(*id));
    std::vector<std::string> written;
    if (!writeRunFiles(args, *store, *run, *results, prefix, written))
        return 1;
    for (const auto& w : written)
        std::printf("%s\n", w.c_str());
    return 0;
}

} // namespace

Command addExport(CLI::App& root) {
    Command c;
    newCommand(root, "export",
               "write a run as a trec_eval run and qrels, QASPER predictions and gold, or CSV; or a split as BEIR",
               c.args)
        .flag("trec", "PREFIX.trec and PREFIX.qrels")
        .flag("qasper", "PREFIX.predictions.jsonl and PREFIX.gold.json for the official evaluator")
        .flag("csv", "PREFIX.csv")
        .option("beir", "DIR: the split named by --data and --split (not a run) as a BEIR folder")
        .option("out", "file prefix (default: the workspace's exports folder, run-ID)")
        .option("data", "QASPER folder or file, or BEIR folder (default: the run's own)")
        .option("split", "split whose latest run a method name means, or that --beir writes (default dev)")
        .positionals("RUN", "an id, or a method name meaning its latest finished run");
    c.run = runExport;
    return c;
}

} // namespace uae::cli

// uae: the command-line face of the workbench. Every job the GUI runs has a subcommand here,
// working on the same workspace database; it never needs a display.
#include "cli_args.h"
#include "uae/device.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void usage() {
    std::fputs(
        "usage: uae <command> [options]\n"
        "  eval     --method bm25|glove|bert|llm-rerank|uae [--rerank-k 20] [--run TRAIN_RUN] [--split dev] [--data DIR] [--model DIR] [--limit N]\n"
        "           [--device auto|cpu|cuda] [--dtype auto|float32|float16|bfloat16] [--batch N] [--no-cache]\n"
        "           rank a split with one method, store the run, print its metrics\n"
        "  label    [--scorer dirichlet|lm] [--model LM] [--split train] [--mu 100] [--tau-t 0.1] [--top-k K] [--limit N]\n"
        "           utility labels for every candidate; resumes where a killed run stopped\n"
        "  train    [--encoder glove|bert] [--model DIR] [--labels dirichlet] [--split train] [--eval-split dev]\n"
        "           [--loss soft|masked|hybrid|gold] [--epochs 15] [--batch 32] [--accumulate 1] [--lr 2e-3]\n"
        "           [--tau-s 0.02] [--tau-t 0.1] [--seed 13] [--eval-every STEPS] [--eval-limit N] [--resume RUN]\n"
        "           [--device auto|cpu|cuda] [--max-tokens 256] [--no-mixed-precision]\n"
        "           train UAE on stored utility labels; eval with --method uae --run RUN\n"
        "  answer   RUN [--reader extractive|lm] [--model LM] [--k 3] [--limit N]\n"
        "           answer each question from the run's top-k paragraphs, store answers and Answer-F1\n"
        "  compare  RUN_A RUN_B [--split dev]   two runs (ids, or method names = latest finished run)\n"
        "           side by side, with per-question wins/ties/losses\n"
        "  export   RUN --trec|--qasper|--csv [--out PREFIX] [--data DIR]\n"
        "  runs     list stored runs\n"
        "  data     [--split dev] [--data DIR]   load a split and report evidence mapping\n"
        "  tokenize --model DIR|ORG/NAME|NAME|LM.bin|LM.gguf [--max-length N]   stdin lines -> JSON token id arrays\n"
        "  generate --model LM.bin|LM.gguf|NAME --prompt TEXT [--max-new-tokens 64]   greedy ids (JSON), then text\n"
        "  embed    --model DIR|ORG/NAME|NAME [--query] [--device D] [--dtype T]   stdin lines -> JSON vectors\n"
        "  models   [--verify]   models fetched by scripts/fetch-models.sh: name, size, licence, source, path\n"
        "           (NAME, e.g. bge-small-en-v1.5 or SmolLM2-135M-Instruct, works wherever --model is taken)\n"
        "common: --workspace FILE (default $UAE_WORKSPACE or ./uae-workspace.db)\n"
        "        --threads N; data: --data, $UAE_QASPER_DIR, ./datasets/qasper\n",
        stderr);
}

} // namespace

int dispatch(const std::string& cmd, const uae::cli::Args& args);

int main(int argc, char** argv) {
    uae::ensureThreadingEnvironment(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    const uae::cli::Args args(argc, argv, 2, {"trec", "qasper", "csv", "quiet", "query", "no-cache", "no-mixed-precision", "verify"});
    if (!args.error().empty()) {
        std::fprintf(stderr, "uae %s: %s\n", cmd.c_str(), args.error().c_str());
        return 2;
    }
    // Errors are reported by the commands; this only keeps an unexpected exception from ending the
    // process with an abort instead of a message.
    try {
        return dispatch(cmd, args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "uae %s: %s\n", cmd.c_str(), e.what());
        return 1;
    }
}

int dispatch(const std::string& cmd, const uae::cli::Args& args) {
    if (cmd == "eval")
        return uae::cli::cmdEval(args);
    if (cmd == "compare")
        return uae::cli::cmdCompare(args);
    if (cmd == "export")
        return uae::cli::cmdExport(args);
    if (cmd == "runs")
        return uae::cli::cmdRuns(args);
    if (cmd == "data")
        return uae::cli::cmdData(args);
    if (cmd == "label")
        return uae::cli::cmdLabel(args);
    if (cmd == "train")
        return uae::cli::cmdTrain(args);
    if (cmd == "answer")
        return uae::cli::cmdAnswer(args);
    if (cmd == "generate")
        return uae::cli::cmdGenerate(args);
    if (cmd == "tokenize")
        return uae::cli::cmdTokenize(args);
    if (cmd == "embed")
        return uae::cli::cmdEmbed(args);
    if (cmd == "models")
        return uae::cli::cmdModels(args);
    std::fprintf(stderr, "uae: unknown command '%s'\n", cmd.c_str());
    usage();
    return 2;
}

// uae: the command-line face of the workbench. Every job the GUI runs has a subcommand here,
// working on the same workspace database; it never needs a display. Parsing is CLI11's; the
// settings, their ranges and defaults are core's field tables.
#include "cli_args.h"
#include "uae/device.h"
#include "uae/tool_configs.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* kFooter =
    "Data (QASPER, or a BEIR folder): --data, $UAE_QASPER_DIR, ./datasets/qasper. Models named by NAME (uae models) "
    "work wherever\n"
    "--model is taken. `uae COMMAND --help` lists a command's options with their ranges and defaults.";

// The root's options: every command takes them, before or after its name.
void addProcessOptions(CLI::App& app, uae::cli::Args& root) {
    root.fields(uae::ProcessConfig{}.fields());
    app.fallthrough();
}

} // namespace

int main(int argc, char** argv) {
    uae::ensureThreadingEnvironment(argv);
    CLI::App app("uae: Utility-Aligned Embeddings workbench, command line", "uae");
    app.footer(kFooter);
    app.require_subcommand(1);
    uae::cli::Args process(&app);
    addProcessOptions(app, process);
    std::vector<uae::cli::Command> commands;
    for (auto add :
         {uae::cli::addEval, uae::cli::addLabel, uae::cli::addMerge, uae::cli::addDiagnose, uae::cli::addTrain,
          uae::cli::addAnswer, uae::cli::addPipeline, uae::cli::addCompare, uae::cli::addExport, uae::cli::addImportRun,
          uae::cli::addRuns, uae::cli::addData, uae::cli::addTokenize, uae::cli::addGenerate, uae::cli::addEmbed,
          uae::cli::addModels, uae::cli::addIndex})
        commands.push_back(add(app));
#ifdef UAE_HAS_REPORT
    commands.push_back(uae::cli::addReport(app));
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    uae::ProcessConfig settings;
    if (auto s = process.apply(settings.fields()); !s) {
        std::fprintf(stderr, "uae: %s\n", s.error().c_str());
        return 2;
    }
    uae::cli::commonOptions() = {settings.workspace, settings.threads};
    // Errors are reported by the commands; this only keeps an unexpected exception from ending the
    // process with an abort instead of a message.
    for (auto& c : commands)
        if (c.args->parsed())
            try {
                return c.run(*c.args);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "uae %s: %s\n", c.args->name().c_str(), e.what());
                return 1;
            }
    return 2;
}

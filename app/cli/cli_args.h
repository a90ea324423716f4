#pragma once
// One subcommand's command line, parsed by CLI11. Options of job settings are declared from
// core's field tables (name, help, allowed values, default), so the CLI states no setting of its
// own; plain options, switches and positionals cover the rest.
#include "uae/config_fields.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace uae::cli {

class Args {
public:
    explicit Args(CLI::App* command) : m_command(command) {}

    // An option for every field that has one; help and default from the table. A name declared
    // twice (two configs sharing --split) is declared once.
    Args& fields(const FieldList& defaults);
    Args& option(const std::string& name, const std::string& help);
    Args& flag(const std::string& name, const std::string& help);
    Args& positionals(const std::string& name, const std::string& help);

    bool parsed() const { return m_command->parsed(); }
    std::string name() const { return m_command->get_name(); }
    bool has(const std::string& name) const;
    std::string get(const std::string& name, const std::string& fallback = {}) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    // Writes every given option that is one of these fields, in the table's terms: the error
    // names the option and what it allows.
    Status apply(const FieldList& target) const;

private:
    CLI::App* m_command;
    std::map<std::string, std::string> m_values;
    std::map<std::string, bool> m_flags;
    std::vector<std::string> m_positional;
};

// A subcommand: its parsed arguments and what runs it.
struct Command {
    std::unique_ptr<Args> args;
    std::function<int(const Args&)> run;
};

// Each adds its subcommand (and the options it takes) to the root.
Command addEval(CLI::App& root);
Command addIndex(CLI::App& root);
Command addCompare(CLI::App& root);
Command addExport(CLI::App& root);
Command addImportRun(CLI::App& root);
Command addRuns(CLI::App& root);
Command addData(CLI::App& root);
Command addTokenize(CLI::App& root);
Command addEmbed(CLI::App& root);
Command addModels(CLI::App& root);
Command addLabel(CLI::App& root);
Command addMerge(CLI::App& root);
Command addDiagnose(CLI::App& root);
Command addGenerate(CLI::App& root);
Command addAnswer(CLI::App& root);
Command addTrain(CLI::App& root);
Command addPipeline(CLI::App& root);
Command addReport(CLI::App& root); // built with the GUI (UAE_HAS_REPORT): it draws with Qt

// The options every command takes, given to the root (--workspace, --threads).
struct CommonOptions {
    std::string workspace;
    int threads = 0;
};
CommonOptions& commonOptions();

// A subcommand with the summary its help shows.
Args& newCommand(CLI::App& root, const std::string& name, const std::string& summary, std::unique_ptr<Args>& out);

} // namespace uae::cli

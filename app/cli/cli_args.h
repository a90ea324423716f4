#pragma once
// Minimal argument parsing shared by the subcommands: "--key value", "--flag", positionals.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace uae::cli {

class Args {
public:
    // flags: option names that take no value.
    Args(int argc, char** argv, int first, const std::set<std::string>& flags);
    bool has(const std::string& key) const { return m_options.count(key) > 0; }
    std::string get(const std::string& key, const std::string& fallback = {}) const;
    long getLong(const std::string& key, long fallback) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    // Names of options given that are not in `known`; empty when all are known.
    std::vector<std::string> unknown(const std::set<std::string>& known) const;
    const std::string& error() const { return m_error; }

private:
    std::map<std::string, std::string> m_options;
    std::vector<std::string> m_positional;
    std::string m_error;
};

int cmdEval(const Args& args);
int cmdCompare(const Args& args);
int cmdExport(const Args& args);
int cmdRuns(const Args& args);
int cmdData(const Args& args);
int cmdTokenize(const Args& args);
int cmdEmbed(const Args& args);
int cmdModels(const Args& args);
int cmdLabel(const Args& args);
int cmdGenerate(const Args& args);
int cmdAnswer(const Args& args);
int cmdTrain(const Args& args);

} // namespace uae::cli

#include "cli_args.h"

#include <cstdlib>

namespace uae::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (!a.starts_with("--")) {
            m_positional.push_back(a);
            continue;
        }
        std::string key = a.substr(2), value;
        if (auto eq = key.find('='); eq != std::string::npos) {
            value = key.substr(eq + 1);
            key = key.substr(0, eq);
        } else if (!flags.count(key)) {
            if (i + 1 >= argc) {
                m_error = "option --" + key + " needs a value";
                continue;
            }
            value = argv[++i];
        }
        m_options[key] = value;
    }
}

std::string Args::get(const std::string& key, const std::string& fallback) const {
    auto it = m_options.find(key);
    return it == m_options.end() ? fallback : it->second;
}

long Args::getLong(const std::string& key, long fallback) const {
    auto it = m_options.find(key);
    if (it == m_options.end())
        return fallback;
    char* end = nullptr;
    const long v = std::strtol(it->second.c_str(), &end, 10);
    return (end && *end == '\0') ? v : fallback;
}

std::vector<std::string> Args::unknown(const std::set<std::string>& known) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_options)
        if (!known.count(k))
            out.push_back("--" + k);
    return out;
}

} // namespace uae::cli

#pragma once
// Settings of what is not a stored job: the process (threads, workspace) and the model tools
// (tokenize, embed, generate). Field tables as for the job configs, so every front end takes them
// with the same names and ranges.
#include "uae/config_fields.h"

#include <string>

namespace uae {

struct ProcessConfig : Configurable<ProcessConfig> {
    std::string workspace; // empty: $UAE_WORKSPACE or ./uae-workspace.db
    int threads = 0;       // 0: all cores; bounded so a typo cannot start thousands of spinning threads

    static const std::vector<Field<ProcessConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
};

struct ModelToolConfig : Configurable<ModelToolConfig> {
    std::string model;
    std::string device = "auto";
    std::string dtype = "auto";
    int batch = 64;        // embed: sequences per forward pass
    int maxLength = 0;     // tokenize: truncate to this many tokens (0: none)
    int maxNewTokens = 64; // generate
    std::string prompt;    // generate

    static const std::vector<Field<ModelToolConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
};

} // namespace uae

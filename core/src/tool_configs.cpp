#include "uae/tool_configs.h"

#include "config_tables.h"

#include <algorithm>
#include <thread>

namespace uae {

using namespace detail;

const std::vector<Field<ProcessConfig>>& ProcessConfig::fieldTable() {
    using C = ProcessConfig;
    // Four threads per core at most: more only adds contention (1000 threads once made a 3-question
    // BM25 run take minutes).
    static const double maxThreads = std::max(4u, 4 * std::thread::hardware_concurrency());
    static const std::vector<Field<C>> table{
        {text("workspace", "workspace", "workspace database (default $UAE_WORKSPACE or ./uae-workspace.db)"),
         [](C& c) { return &c.workspace; }},
        {integer("threads", "threads", "CPU threads (0: all cores)", 0, maxThreads), [](C& c) { return &c.threads; }},
    };
    return table;
}

const std::vector<Field<ModelToolConfig>>& ModelToolConfig::fieldTable() {
    using C = ModelToolConfig;
    static const std::vector<Field<C>> table{
        {text("model", "model", "model folder, Hugging Face id, checkpoint file or fetched name", true),
         [](C& c) { return &c.model; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {integer("batch", "batch", "sequences per forward pass", 1, 4096), [](C& c) { return &c.batch; }},
        {integer("max_length", "max-length", "tokens kept (0: all)", 0, 1000000), [](C& c) { return &c.maxLength; }},
        {integer("max_new_tokens", "max-new-tokens", "tokens generated at most", 1, 4096),
         [](C& c) { return &c.maxNewTokens; }},
        {text("prompt", "prompt", "text to continue"), [](C& c) { return &c.prompt; }},
    };
    return table;
}

} // namespace uae

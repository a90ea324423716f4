// uae models: the real pretrained models fetched into the user cache (scripts/fetch-models.sh).
#include "cli_common.h"

#include "uae/model_registry.h"

#include <cstdio>

namespace uae::cli {

namespace {

int runModels(const Args& args) {
    const auto models = fetchedModels();
    if (models.empty()) {
        std::printf("no models fetched in %s (run scripts/fetch-models.sh)\n", modelCacheDir().c_str());
        return 0;
    }
    std::printf("%-26s %-5s %9s  %-11s %-34s %s\n", "name", "kind", "size", "licence", "source", "path");
    int bad = 0;
    for (const auto& m : models) {
        std::string state = m.problem;
        if (state.empty() && args.has("verify"))
            if (auto ok = verifyFetchedModel(m); !ok)
                state = ok.error();
        std::printf("%-26s %-5s %6.1f MB  %-11s %-34s %s\n", m.name.c_str(), m.kind.c_str(), m.bytes / 1e6,
                    m.licence.c_str(), m.source.c_str(), m.path.c_str());
        if (!state.empty()) {
            std::printf("  problem: %s\n", state.c_str());
            ++bad;
        }
    }
    if (args.has("verify") && !bad)
        std::printf("every file matches its SHA256SUMS\n");
    return bad ? 1 : 0;
}

} // namespace

Command addModels(CLI::App& root) {
    Command c;
    newCommand(root, "models", "models fetched by scripts/fetch-models.sh: name, size, licence, source, path", c.args)
        .flag("verify", "check every file against its SHA256SUMS");
    c.run = runModels;
    return c;
}

} // namespace uae::cli

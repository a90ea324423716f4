// uae index build|list|remove: stored FAISS indexes of the workspace (what `uae eval --pool corpus
// --index FACTORY` searches). build loads an up-to-date index or builds it, with progress and ETA;
// remove deletes indexes of the workspace by the names list prints.
#include "cli_common.h"

#include "uae/job_index.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printMeta(const IndexMeta& m) {
    std::printf("%-16s %-8s %-6s %9lld %4d %9.1f MB %9.2f s  %-20s %s\n", m.factory.c_str(), m.encoder.c_str(),
                m.corpus.c_str(), static_cast<long long>(m.ntotal), m.dim, m.memoryBytes / 1e6, m.buildSeconds,
                m.created.c_str(), m.file.c_str());
}

void printHeader() {
    std::printf("%-16s %-8s %-6s %9s %4s %12s %11s  %-20s %s\n", "factory", "encoder", "corpus", "vectors", "dim",
                "memory", "build", "created (UTC)", "file");
}

// Index builds report their own messages (encoding, training, adding with an ETA).
JobContext indexContext(bool quiet) {
    JobContext ctx = jobContext("index", quiet, true);
    ctx.onProgress = [quiet, last = std::make_shared<std::string>()](const JobProgress& p) {
        if (quiet || (p.message == *last && p.done != p.total))
            return;
        *last = p.message;
        std::fprintf(stderr, "index: %s (%ld/%ld)\n", p.message.c_str(), p.done, p.total);
    };
    return ctx;
}

int runBuild(const Args& args, const IndexBuildConfig& config, Workspace& ws) {
    const auto r = ws.buildIndex(config, indexContext(args.has("quiet")));
    if (const int status = exitStatus("index build", r.status, 0, r.error); status != 0)
        return status;
    std::printf("%s: %s\n", r.loaded ? "loaded (up to date, nothing built)" : "built", r.meta.file.c_str());
    if (!r.rebuiltWhy.empty())
        std::printf("rebuilt because %s\n", r.rebuiltWhy.c_str());
    printHeader();
    printMeta(r.meta);
    return 0;
}

// Each named index of the workspace deleted (core refuses anything outside its index folder).
int runRemove(const std::vector<std::string>& names, const Workspace& ws) {
    if (names.empty()) {
        std::fprintf(stderr, "uae index remove: name the indexes to delete (file names as `uae index list` "
                             "prints them)\n");
        return 2;
    }
    int status = 0;
    for (const auto& name : names) {
        if (auto s = removeIndex(ws.indexDir(), name); !s) {
            std::fprintf(stderr, "uae index remove: %s\n", s.error().c_str());
            status = 1;
        } else {
            std::printf("deleted %s\n", name.c_str());
        }
    }
    return status;
}

// Each index, and with --check whether its method's encoder (as the options resolve it) and its
// split's corpus are still what it was built from.
int runList(const Args& args, const IndexBuildConfig& options, Workspace& ws) {
    const auto all = listIndexes(ws.indexDir());
    if (all.empty()) {
        std::printf("no stored indexes in %s\n", ws.indexDir().c_str());
        return 0;
    }
    printHeader();
    for (const auto& m : all) {
        printMeta(m);
        if (!args.has("check"))
            continue;
        IndexBuildConfig config = options;
        config.method = m.encoder, config.split = m.corpus, config.index = m.factory;
        const auto why = ws.indexStaleness(config, m);
        std::printf("  %s\n", !why           ? ("cannot check: " + why.error()).c_str()
                              : why->empty() ? "current"
                                             : ("stale, rebuilt when used: " + why.value()).c_str());
    }
    return 0;
}

int runIndex(const Args& args) {
    const auto& pos = args.positional();
    const std::string action = pos.empty() ? "" : pos.front();
    if (action != "build" && action != "list" && action != "remove") {
        std::fprintf(stderr, "uae index: say build, list or remove (got '%s')\n", action.c_str());
        return 2;
    }
    if (action != "remove" && pos.size() > 1) {
        std::fprintf(stderr, "uae index %s: unexpected argument '%s'\n", action.c_str(), pos[1].c_str());
        return 2;
    }
    IndexBuildConfig config; // options are checked before the workspace is opened (or created)
    if (!parseConfig(args, "index", config))
        return 2;
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    if (action == "build")
        return runBuild(args, config, *ws);
    if (action == "remove")
        return runRemove({pos.begin() + 1, pos.end()}, *ws);
    return runList(args, config, *ws);
}

} // namespace

Command addIndex(CLI::App& root) {
    Command c;
    newCommand(root, "index",
               "stored FAISS indexes: build (or reuse) one for a method's corpus, list them, remove them", c.args)
        .positionals("action", "build | list | remove NAME...")
        .fields(IndexBuildConfig{}.fields())
        .flag("quiet", "no progress lines")
        .flag("check", "list: say whether each index's encoder (as --model and --data resolve it) and corpus "
                       "are still what it was built from");
    c.run = runIndex;
    return c;
}

} // namespace uae::cli

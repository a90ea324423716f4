#include "train_labels.h"

#include "uae/utility.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace uae::detail {

namespace {

std::string promptOf(const RunInfo& run) {
    const auto j = nlohmann::json::parse(run.configJson, nullptr, false);
    return j.is_object() ? j.value("prompt_version", "") : "";
}

std::string relabelHint(const TrainConfig& config) {
    return "run uae label --split " + config.split + " with the same scorer and prompt (" + config.promptVersion +
           ") to label them again";
}

} // namespace

Status noLabelRunInProgress(const Store& store, const TrainConfig& config) {
    auto runs = store.runs();
    if (!runs)
        return fail(runs.error());
    for (const auto& r : runs.value())
        if (r.kind == RunKind::Label && r.status == RunStatus::Running && r.method == config.scorer &&
            r.split == config.split && promptOf(r) == config.promptVersion)
            return fail("label run " + std::to_string(r.id) + " is still writing " + config.scorer +
                        " labels of split '" + config.split + "' in " + store.path() +
                        "; training now would use the labels present so far. Wait for it to finish (or cancel "
                        "it), then train");
    return Ok{};
}

Status labelsMatchData(const Store& store, const Dataset& train, const TrainConfig& config,
                       const std::vector<LabelRow>& labels) {
    auto sources = store.labelSources(LabelKey{config.scorer, config.promptVersion});
    if (!sources)
        return fail(sources.error());
    std::unordered_map<std::string, const Question*> byId; // Dataset::findQuestion is a linear scan
    for (const auto& q : train.questions)
        byId.emplace(q.id, &q);
    const auto find = [&byId](const std::string& id) {
        const auto it = byId.find(id);
        return it == byId.end() ? nullptr : it->second;
    };
    long stale = 0;
    std::string first;
    for (const auto& s : sources.value()) {
        const Question* q = s.split == config.split ? find(s.question) : nullptr;
        if (!q || s.sourceHash.empty() || s.sourceHash == labelSourceHash(*q, train.paperOf(*q)))
            continue;
        if (stale++ == 0)
            first = "question " + q->id + " of paper " + train.paperOf(*q).id + ", labelled by run " +
                    std::to_string(s.run);
    }
    if (stale > 0)
        return fail("the " + config.scorer + " labels of " + std::to_string(stale) + " question(s) of split '" +
                    config.split +
                    "' were computed on other text than the data now holds (its paragraphs, "
                    "question or answers changed; first: " +
                    first + "); " + relabelHint(config));
    for (const auto& l : labels) { // labels from before source hashes: at least the indices must fit
        const Question* q = find(l.question);
        if (q && (l.paragraph < 0 || static_cast<size_t>(l.paragraph) >= train.paperOf(*q).paragraphs.size()))
            return fail("a " + config.scorer + " label of question " + l.question + " is for paragraph " +
                        std::to_string(l.paragraph) + ", but paper " + train.paperOf(*q).id + " now has " +
                        std::to_string(train.paperOf(*q).paragraphs.size()) +
                        " paragraphs: the data changed after labelling; " + relabelHint(config));
    }
    return Ok{};
}

} // namespace uae::detail

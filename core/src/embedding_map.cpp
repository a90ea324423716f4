#include "uae/embedding_map.h"

#include "uae/encoder.h"
#include "uae/evaluation.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

namespace uae {

int EmbeddingMap::itemOfQuestion(int question) const {
    return question >= 0 && question < int(questionItem.size()) ? questionItem[question] : -1;
}

int EmbeddingMap::itemOfParagraph(int paper, int paragraph) const {
    if (paper < 0 || paper >= int(paperFirstItem.size()) || paperFirstItem[paper] < 0 || paragraph < 0)
        return -1;
    const int item = paperFirstItem[paper] + paragraph;
    return item < int(items.size()) && items[item].kind == MapItemKind::Paragraph && items[item].paper == paper ? item
                                                                                                                : -1;
}

EmbeddingMap mapItems(const Dataset& data, long limit) {
    EmbeddingMap map;
    const long questions = limit > 0 ? std::min<long>(limit, long(data.questions.size())) : long(data.questions.size());
    std::set<int> papers;
    for (long q = 0; q < questions; ++q)
        papers.insert(data.questions[q].paper);
    map.paperFirstItem.assign(data.papers.size(), -1);
    for (int p : papers) {
        map.paperFirstItem[p] = int(map.items.size());
        for (int i = 0; i < int(data.papers[p].paragraphs.size()); ++i)
            map.items.push_back({MapItemKind::Paragraph, p, i});
    }
    map.questionItem.assign(data.questions.size(), -1);
    for (long q = 0; q < questions; ++q) {
        map.questionItem[q] = int(map.items.size());
        map.items.push_back({MapItemKind::Question, data.questions[q].paper, int(q)});
    }
    return map;
}

namespace {

// The vectors of every item by one encoder, [items x dim].
Result<std::vector<float>> encodeItems(const EmbeddingMap& map, const Dataset& data, Encoder& encoder,
                                       const JobContext& ctx, long done, long total) {
    const int dim = encoder.dim();
    std::vector<float> out(map.items.size() * size_t(dim));
    auto put = [&](int firstItem, const std::vector<float>& v) {
        std::copy(v.begin(), v.end(), out.begin() + size_t(firstItem) * dim);
    };
    for (int p = 0; p < int(data.papers.size()); ++p) {
        if (map.paperFirstItem[p] < 0)
            continue;
        if (ctx.cancelled())
            return fail("cancelled");
        std::vector<std::string> texts;
        for (const auto& para : data.papers[p].paragraphs)
            texts.push_back(para.text);
        put(map.paperFirstItem[p], encoder.encode(texts, EncodeRole::Passage));
        done += long(texts.size());
        ctx.progress(done, total, encoder.name() + ": paragraphs");
    }
    std::vector<std::string> questions;
    int first = -1;
    for (int i = 0; i < int(map.items.size()); ++i)
        if (map.items[i].kind == MapItemKind::Question) {
            first = first < 0 ? i : first;
            questions.push_back(data.questions[map.items[i].index].text);
        }
    if (!questions.empty())
        put(first, encoder.encode(questions, EncodeRole::Query));
    ctx.progress(done + long(questions.size()), total, encoder.name() + ": questions");
    if (auto row = firstNonFiniteRow(out, dim))
        return fail(encoder.name() + ": item " + std::to_string(*row) + " has a NaN or infinite vector");
    return out;
}

} // namespace

Result<EmbeddingMap> buildEmbeddingMap(const Dataset& data, const std::vector<std::string>& methods,
                                       const std::vector<std::shared_ptr<Encoder>>& encoders, long limit,
                                       const JobContext& ctx) {
    if (encoders.empty() || methods.size() != encoders.size())
        return fail("embedding map: give one method name per encoder (got " + std::to_string(methods.size()) +
                    " names, " + std::to_string(encoders.size()) + " encoders)");
    EmbeddingMap map = mapItems(data, limit);
    if (map.items.size() < 2)
        return fail("embedding map: split " + data.name + " has fewer than two texts to place");
    const long perEncoder = long(map.items.size()), total = perEncoder * long(encoders.size());
    for (size_t e = 0; e < encoders.size(); ++e) {
        auto vectors = encodeItems(map, data, *encoders[e], ctx, perEncoder * long(e), total);
        if (!vectors)
            return fail(vectors.error() == "cancelled" ? "cancelled" : methods[e] + ": " + vectors.error());
        auto projection = projectPca(vectors.value(), encoders[e]->dim(), nullptr);
        if (!projection)
            return fail(methods[e] + ": " + projection.error());
        map.layers.push_back({methods[e], encoders[e]->name(), std::move(projection.value())});
    }
    return map;
}

std::vector<MapLink> mapLinks(const EmbeddingMap& map, const Dataset& data, int question,
                              const std::vector<const QuestionResult*>& rankings) {
    std::vector<MapLink> links;
    const int from = map.itemOfQuestion(question);
    if (from < 0)
        return links;
    const Question& q = data.questions[question];
    for (int g : q.gold)
        if (int to = map.itemOfParagraph(q.paper, g); to >= 0)
            links.push_back({MapLinkKind::Gold, from, to, -1});
    for (int r = 0; r < int(rankings.size()); ++r)
        if (rankings[r] && !rankings[r]->order.empty())
            if (int to = map.itemOfParagraph(q.paper, rankings[r]->order.front()); to >= 0)
                links.push_back({MapLinkKind::Top1, from, to, r});
    return links;
}

std::vector<float> itemUtilities(const EmbeddingMap& map, const Dataset& data, const std::vector<LabelRow>& labels) {
    std::vector<float> out(map.items.size(), std::numeric_limits<float>::quiet_NaN());
    std::unordered_map<std::string, int> paperOf;
    for (const auto& q : data.questions)
        paperOf.emplace(q.id, q.paper);
    for (const auto& row : labels) {
        auto it = paperOf.find(row.question);
        const int item = it == paperOf.end() ? -1 : map.itemOfParagraph(it->second, row.paragraph);
        if (item >= 0 && (std::isnan(out[item]) || row.utility > out[item]))
            out[item] = float(row.utility);
    }
    return out;
}

} // namespace uae

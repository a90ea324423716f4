#include "uae/gold_ranks.h"

#include <algorithm>

namespace uae {

std::optional<int> rankOf(const QuestionResult* ranking, int paragraph) {
    if (!ranking)
        return std::nullopt;
    const auto it = std::find(ranking->order.begin(), ranking->order.end(), paragraph);
    if (it == ranking->order.end())
        return std::nullopt;
    return static_cast<int>(it - ranking->order.begin()) + 1;
}

std::optional<int> goldRank(const Question& q, const QuestionResult* ranking) {
    std::optional<int> best;
    for (int paragraph : q.gold)
        if (const auto r = rankOf(ranking, paragraph); r && (!best || *r < *best))
            best = r;
    return best;
}

std::optional<int> goldRankChange(const Question& q, const QuestionResult* a, const QuestionResult* b) {
    const auto ra = goldRank(q, a);
    const auto rb = goldRank(q, b);
    if (!ra || !rb)
        return std::nullopt;
    return *ra - *rb;
}

std::vector<GoldJourney> goldJourneys(const Question& q, const std::vector<const QuestionResult*>& rankings) {
    std::vector<int> gold = q.gold;
    std::sort(gold.begin(), gold.end());
    gold.erase(std::unique(gold.begin(), gold.end()), gold.end());
    std::vector<GoldJourney> journeys;
    for (int paragraph : gold) {
        GoldJourney j{paragraph, {}};
        for (const QuestionResult* ranking : rankings)
            j.ranks.push_back(rankOf(ranking, paragraph));
        journeys.push_back(std::move(j));
    }
    return journeys;
}

std::optional<int> questionSortValue(QuestionSortKey key, const Question& q, const QuestionResult* a,
                                     const QuestionResult* b) {
    switch (key) {
    case QuestionSortKey::GoldRankA:
        return goldRank(q, a);
    case QuestionSortKey::GoldRankB:
        return goldRank(q, b);
    case QuestionSortKey::RankChange:
        return goldRankChange(q, a, b);
    case QuestionSortKey::Order:
        break;
    }
    return std::nullopt;
}

bool sortValueLess(std::optional<int> x, std::optional<int> y, bool descending) {
    if (x && y)
        return *x < *y;
    if (!x && !y)
        return false;
    // One value is missing: it must end up last. Ascending keeps lessThan's order, so the
    // present value is "less"; descending reverses it, so the missing one must be "less".
    return descending ? !x.has_value() : x.has_value();
}

} // namespace uae

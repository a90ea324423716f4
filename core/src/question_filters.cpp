#include "uae/question_filters.h"

#include <algorithm>

namespace uae {

namespace {

bool isGold(const Question& q, int paragraph) {
    return std::find(q.gold.begin(), q.gold.end(), paragraph) != q.gold.end();
}

// The rank-based filters only speak about questions both methods ranked and that have a gold.
bool comparable(const Question& q, const QuestionResult* a, const QuestionResult* b) {
    return q.hasTextEvidence() && a && b;
}

} // namespace

bool goldInTop(const Question& q, const QuestionResult* ranking, std::size_t k) {
    if (!ranking)
        return false;
    const std::size_t n = std::min(k, ranking->order.size());
    return std::any_of(ranking->order.begin(), ranking->order.begin() + static_cast<std::ptrdiff_t>(n),
                       [&](int paragraph) { return isGold(q, paragraph); });
}

bool bFixed(const Question& q, const QuestionResult* a, const QuestionResult* b) {
    return comparable(q, a, b) && !goldInTop(q, a, 1) && goldInTop(q, b, 1);
}

bool bBroke(const Question& q, const QuestionResult* a, const QuestionResult* b) {
    return comparable(q, a, b) && goldInTop(q, a, 1) && !goldInTop(q, b, 1);
}

bool allFail(const Question& q, const QuestionResult* a, const QuestionResult* b) {
    return comparable(q, a, b) && !goldInTop(q, a, 3) && !goldInTop(q, b, 3);
}

bool teacherDisagrees(const Question& q, const std::map<int, double>& utilities) {
    if (!q.hasTextEvidence() || utilities.empty())
        return false;
    // max_element keeps the first of equal maxima: the lowest paragraph index, as the map is
    // ordered.
    const auto best = std::max_element(utilities.begin(), utilities.end(),
                                       [](const auto& x, const auto& y) { return x.second < y.second; });
    return !isGold(q, best->first);
}

} // namespace uae

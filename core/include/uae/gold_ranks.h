#pragma once
// Where the gold went: the rank (1-based) of a question's gold paragraphs in each method's ranking,
// the change between two methods, and the question list's sort keys, so the GUI, the report and
// tests share one definition. A null ranking means the method has no result for the question;
// a question without text evidence has no gold rank. Plain functions, no state.
#include "uae/evaluation.h"
#include "uae/qasper.h"

#include <optional>
#include <vector>

namespace uae {

// The 1-based rank of `paragraph` in `ranking` (nullopt when null or not ranked).
std::optional<int> rankOf(const QuestionResult* ranking, int paragraph);

// The best (lowest) rank of any of q's gold paragraphs in `ranking`; nullopt without gold or
// ranking, or when no gold paragraph was ranked.
std::optional<int> goldRank(const Question& q, const QuestionResult* ranking);

// goldRank(a) - goldRank(b): positive when B brings the gold up (a win for B), negative for a
// loss, nullopt unless both ranks exist.
std::optional<int> goldRankChange(const Question& q, const QuestionResult* a, const QuestionResult* b);

// One gold paragraph's journey: its rank in each method, in the order the methods were given.
struct GoldJourney {
    int paragraph = -1;
    std::vector<std::optional<int>> ranks;
};
// The journey of each of q's gold paragraphs (ascending paragraph index) through `rankings`.
std::vector<GoldJourney> goldJourneys(const Question& q, const std::vector<const QuestionResult*>& rankings);

// The question list's sort keys beyond the list order.
enum class QuestionSortKey { Order, GoldRankA, GoldRankB, RankChange };
// The value a question sorts by under `key` (A = the base, B = the new method); nullopt: none.
std::optional<int> questionSortValue(QuestionSortKey key, const Question& q, const QuestionResult* a,
                                     const QuestionResult* b);
// Whether x sorts before y in an ascending (descending = false) or descending list: by value,
// and questions without a value last in either direction. A proxy's lessThan takes this as is
// (Qt reverses lessThan for a descending sort: this compensates for the missing values).
bool sortValueLess(std::optional<int> x, std::optional<int> y, bool descending);

} // namespace uae

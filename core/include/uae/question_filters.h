#pragma once
// The inspector's quick filters as plain predicates over one question and two methods' rankings
// of it (A = the base, B = the new method), so the GUI, the CLI and tests share one definition.
// A null ranking means the method has no result for the question; every predicate is then false.
#include "uae/evaluation.h"
#include "uae/qasper.h"

#include <cstddef>
#include <map>

namespace uae {

// Whether one of q's gold paragraphs is among the first k of `ranking` (false when null).
bool goldInTop(const Question& q, const QuestionResult* ranking, std::size_t k);

// "B fixed": A misses the gold at rank 1, B hits it (questions with text evidence only).
bool bFixed(const Question& q, const QuestionResult* a, const QuestionResult* b);
// "B broke": A hits the gold at rank 1, B misses it.
bool bBroke(const Question& q, const QuestionResult* a, const QuestionResult* b);
// "All fail": neither A's nor B's top 3 holds a gold paragraph.
bool allFail(const Question& q, const QuestionResult* a, const QuestionResult* b);

// "Teacher disagrees": the paragraph the teacher gives the highest utility (paragraph -> utility;
// ties go to the lowest paragraph index) is not gold. False without text evidence or labels.
bool teacherDisagrees(const Question& q, const std::map<int, double>& utilities);

} // namespace uae

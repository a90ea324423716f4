#pragma once
// Exports of a stored run for outside tools.
#include "uae/evaluation.h"
#include "uae/result.h"

#include <map>
#include <string>
#include <vector>

namespace uae {

struct Dataset;

// TREC run file "qid Q0 docno rank score tag", docno = "p<paragraph index>". Scores are written
// strictly decreasing (ties nudged down by 1e-6 steps) so trec_eval, which sorts by score, sees
// our ranking. Only questions with text evidence are written, as in the qrels.
Status writeTrecRun(const std::string& path, const std::vector<QuestionResult>& results, const std::string& tag);
// qrels "qid 0 docno 1" for every gold paragraph.
Status writeQrels(const std::string& path, const std::vector<QuestionResult>& results);
// One JSON object per line: question_id, predicted_answer (from `answers`, question id -> text;
// empty when none), predicted_evidence = [text of the top-1 paragraph], for allenai's
// qasper_evaluator.py.
Status writeQasperPredictions(const std::string& path, const std::vector<QuestionResult>& results, const Dataset& data,
                              const std::map<std::string, std::string>& answers = {});
// The split as one official JSON file (the evaluator's --gold), merged from its parts.
Status writeQasperGold(const std::string& path, const Dataset& data);
// Per-question metrics table.
Status writeCsv(const std::string& path, const std::vector<QuestionResult>& results);

} // namespace uae

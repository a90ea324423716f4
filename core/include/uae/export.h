#pragma once
// Exports of a stored run for outside tools.
#include "uae/evaluation.h"
#include "uae/result.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace uae {

struct Dataset;

// Names a pool paragraph in TREC files: (question id, index into its pool) -> docno.
using DocnoFn = std::function<std::string(const std::string& question, int paragraph)>;
// The data set's own document ids (BEIR corpus-ids) as docnos, "p<index>" where a paragraph has
// none (QASPER). Give the view the run was ranked on (corpusView for a corpus run); the ids are copied.
DocnoFn datasetDocnos(const Dataset& data);

// TREC run file "qid Q0 docno rank score tag", docno = name(qid, index), by default "p<paragraph index>". Scores are
// written strictly decreasing (ties nudged down by 1e-6 steps) so trec_eval, which sorts by score, sees our ranking.
// Only questions with text evidence are written, as in the qrels.
Status writeTrecRun(const std::string& path, const std::vector<QuestionResult>& results, const std::string& tag,
                    const DocnoFn& name = {});
// qrels "qid 0 docno 1" for every gold paragraph.
Status writeQrels(const std::string& path, const std::vector<QuestionResult>& results, const DocnoFn& name = {});
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

#pragma once
// Reading a TREC run file written by an outside system (Vespa, Milvus, Elasticsearch, Pyserini, or
// `uae export --trec` itself) and tying it to a split, so it is scored and stored like a run of
// our own (job_import.h).
//
// Format: one "qid Q0 docno rank score tag" a line, whitespace separated, exactly 6 fields; blank
// lines are skipped. As in trec_eval, the second field is not read and the rank is not used for
// ordering: each question's documents are ranked by score descending, ties by docno descending
// (byte order, strcmp), trec_eval's comp_sim_docno. The rank must still be an integer >= 0.
//
// Docnos are read as the workbench's own exports write them:
//   - the split's own document ids (BEIR corpus-ids, `uae export RUN --trec` of a run on BEIR data);
//   - "<paperId>#<n>", paragraph n of that paper (the corpus-ids `uae export --beir` writes for a
//     QASPER split: what a system indexing that BEIR folder returns);
//   - "p<n>" (`uae export RUN --trec` of a QASPER run): with pool paper, paragraph n of the
//     question's own paper; with pool corpus, paragraph n of the whole split in paper order
//     (corpusView's index).
// Both forms may be mixed in one file; two docnos naming the same paragraph for one question are
// a duplicate.
#include "uae/evaluation.h"
#include "uae/result.h"

#include <string>
#include <vector>

namespace uae {

struct Dataset;

struct TrecRunEntry {
    std::string qid;
    std::string docno;
    double score = 0; // finite
    long line = 0;    // 1-based line in the file
};

struct TrecRunFile {
    std::string path;
    std::string sha256;                // of the file's bytes
    long lines = 0;                    // run lines (blank lines not counted)
    std::vector<TrecRunEntry> entries; // in file order
    std::vector<std::string> tags;     // distinct tags, in order of first appearance
};

// The whole file, checked line by line. Errors are "FILE:LINE: problem" (wrong field count, a
// score that is not a finite number, a rank that is not an integer >= 0), one line for each bad
// line of the file (the first 20, then "FILE: N problems in all"), or "FILE: problem" (cannot be
// read, holds no run line). A score too small for a double (1e-400) reads as 0, as trec_eval's atof.
Result<TrecRunFile> readTrecRun(const std::string& path);

struct TrecRunMapping {
    // One result per question of the split, in the split's order: ranked as trec_eval ranks the
    // file, gold and metrics filled by scoreRanking. A question absent from the run is ranked empty.
    std::vector<QuestionResult> results;
    long questionsInRun = 0;
    long missing = 0;             // questions of the split without a line in the run
    long missingWithEvidence = 0; // of those, with text evidence: they count 0 in every retrieval mean
};

// Ties `run` to `data` (the per-paper split as loaded, never its corpus view). corpus: docnos name
// paragraphs of the whole split and the result's indices point into corpusView(data); otherwise
// each question's docnos must be paragraphs of its own paper. Every line is checked before
// anything is returned; errors are "FILE:LINE: problem" (unknown question id, unknown docno, a
// paragraph outside the question's paper, a duplicate document for a question), gathered as
// readTrecRun gathers them, or "FILE: problem" (no question id of the split at all).
Result<TrecRunMapping> mapTrecRun(const TrecRunFile& run, const Dataset& data, bool corpus);

} // namespace uae

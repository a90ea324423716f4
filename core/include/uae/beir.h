#pragma once
// Retrieval data in the BEIR layout (issue 15): a folder holding corpus.jsonl, queries.jsonl and
// qrels/<split>.tsv, read into the same Dataset QASPER gives, and QASPER written out in it.
//
// corpus.jsonl, one document a line: {"_id", "title"?, "text", "metadata"?}. When documents carry
// metadata.paper they are grouped into papers (in file order; title = the paper's title, the
// section from metadata.section, the abstract from metadata.abstract), so the per-paper pool
// works; otherwise the whole corpus is one pool (paper id "corpus", each document's title kept as
// its section) and the per-paper and corpus settings coincide.
// queries.jsonl: {"_id", "text", "metadata"?}. Reference answers come from metadata.references
// (what writeBeir writes: type, answer, evidence with its corpus-id, float evidence), else from
// metadata.answers / metadata.answer / top-level answers / answer (a string or a list of
// strings); their evidence is then the text of the query's relevant documents. A query without
// answers is still evaluated; labelling skips it as unanswerable. metadata.paper names the paper
// whose pool a query ranks; without it, the paper of its first judged document.
// qrels/<split>.tsv: "query-id<TAB>corpus-id<TAB>score" after an optional header line; a score > 0
// marks a relevant (gold) document. The split holds the queries judged there, in queries.jsonl order.
//
// Every malformed line is reported as "FILE:LINE: problem"; nothing is written by loading.
#include "uae/qasper.h"
#include "uae/result.h"

#include <string>

namespace uae {

// Whether path is a folder holding corpus.jsonl and queries.jsonl.
bool isBeirFolder(const std::string& path);

// The split `split` of the BEIR folder `dir`. Errors name the file and line.
Result<Dataset> loadBeir(const std::string& dir, const std::string& split);

struct BeirWriteSummary {
    long documents = 0, queries = 0, judgements = 0;
    std::string qrelsFile; // dir/qrels/<split>.tsv
};

// Writes `data` (a per-paper split, not a corpus view) into dir (made if missing) as
// corpus.jsonl (_id "<paperId>#<n>" unless the paragraph has its own id), queries.jsonl and
// qrels/<data.name>.tsv. A query without relevant documents is judged 0 on its paper's first
// paragraph so it stays in the split (QASPER's unanswerable questions count in evidence F1).
// Refuses a folder that already holds corpus.jsonl or queries.jsonl: nothing stored is replaced.
// Each file is written through a temporary file and renamed.
Result<BeirWriteSummary> writeBeir(const std::string& dir, const Dataset& data);

} // namespace uae

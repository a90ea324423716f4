#pragma once
// Private: the lines of a BEIR corpus.jsonl and queries.jsonl, parsed but not yet tied together
// (uae/beir.h describes the layout). Every error is "FILE:LINE: problem".
#include "uae/qasper.h"
#include "uae/result.h"

#include <string>
#include <vector>

namespace uae::detail {

struct BeirDocument {
    long line = 0;
    std::string id, title, text;
    bool hasPaper = false; // metadata.paper given
    std::string paper, section, abstract;
};

// An evidence item of metadata.references that names its document: resolved once the query's
// paper is known.
struct BeirEvidenceDoc {
    size_t reference = 0, item = 0;
    std::string doc;
};

struct BeirQuery {
    long line = 0;
    std::string id, text;
    std::string paper;                 // metadata.paper, empty when not given
    bool hasReferences = false;        // metadata.references given: `references` as written
    std::vector<Reference> references; // evidence paragraphs unresolved (-1)
    std::vector<BeirEvidenceDoc> evidenceDocs;
    std::vector<std::string> answers; // plain answers when there are no references
};

Result<std::vector<BeirDocument>> readBeirCorpus(const std::string& path);
Result<std::vector<BeirQuery>> readBeirQueries(const std::string& path);

// The name writeBeir gives an answer type / evidence rule, and back (false for an unknown name).
bool answerTypeFromName(const std::string& name, AnswerType& out);
bool evidenceRuleFromName(const std::string& name, EvidenceRule& out);

} // namespace uae::detail

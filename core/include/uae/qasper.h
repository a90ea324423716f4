#pragma once
// QASPER in the official allenai JSON layout (a JSON object keyed by arXiv id), loaded into the
// per-question retrieval view the workbench uses: each question's candidate pool is its paper's
// non-empty paragraphs, and gold evidence is mapped to indices into that pool.
#include "uae/result.h"

#include <array>
#include <string>
#include <vector>

namespace uae {

struct Paragraph {
    std::string section;
    std::string text;
    std::string paperId; // in a corpus view: the paper it comes from (empty in a paper's own pool)
    std::string id;      // the document id it was read with (BEIR corpus-id); empty for QASPER
};

struct Paper {
    std::string id;
    std::string title;
    std::string abstract;
    std::vector<Paragraph> paragraphs; // candidate pool, in document order
};

enum class AnswerType { Extractive, Abstractive, Boolean, None };
const char* answerTypeName(AnswerType type);

// How an evidence string was tied to the pool; order = precedence.
enum class EvidenceRule {
    Exact,       // normalised text equals one paragraph
    Contained,   // a long fragment found verbatim inside one paragraph
    Overlap,     // best token overlap above threshold (near-copies, split equations)
    SectionName, // only a section heading: never gold
    TooShort,    // a short fragment: never gold by containment
    Unmatched,
    Count
};
const char* evidenceRuleName(EvidenceRule rule);

struct EvidenceItem {
    std::string text; // as in the JSON; the official evaluator compares these strings
    EvidenceRule rule = EvidenceRule::Unmatched;
    int paragraph = -1; // index into the paper's pool, -1 when not mapped
};

// One annotator's reference, built as the official evaluator builds it.
struct Reference {
    AnswerType type = AnswerType::None;
    std::string answer;                     // "Unanswerable", "Yes"/"No", joined spans or free form
    std::vector<EvidenceItem> evidence;     // text evidence (no FLOAT SELECTED)
    std::vector<std::string> floatEvidence; // "FLOAT SELECTED: ..." figure/table evidence
};

struct Question {
    std::string id;
    std::string text;
    int paper = -1; // index into Dataset::papers
    std::vector<Reference> references;
    std::vector<int> gold; // sorted union of mapped text evidence over annotators

    bool hasTextEvidence() const { return !gold.empty(); }
};

struct EvidenceMappingStats {
    std::array<long, static_cast<int>(EvidenceRule::Count)> items{};     // evidence strings per rule
    std::array<long, static_cast<int>(EvidenceRule::Count)> questions{}; // questions using the rule
    long floatItems = 0;
    long questionsWithTextEvidence = 0;
    long unanswerableQuestions = 0;
};

struct Dataset {
    std::string name;               // split name, e.g. "dev"
    std::string format = "qasper";  // the layout it was read from: "qasper" or "beir" (uae/beir.h)
    std::vector<std::string> files; // files it was read from
    std::vector<Paper> papers;
    std::vector<Question> questions;
    EvidenceMappingStats mapping;

    const Paper& paperOf(const Question& q) const { return papers.at(q.paper); }
    const Question* findQuestion(const std::string& id) const;
};

struct QasperLoadOptions {
    // Fragments with fewer content tokens than this never map by containment or overlap.
    int minFragmentWords = 6;
    // Minimum share of the fragment's tokens a paragraph must contain for the overlap rule.
    double minOverlap = 0.6;
};

// path: one JSON file, or a folder; with a folder, `split` picks files named qasper-<split>-*.json
// (the official single file or its parts) and merges them. Errors name the file and the problem.
Result<Dataset> loadQasper(const std::string& path, const std::string& split, const QasperLoadOptions& options = {});

// The corpus setting (issue 15): one pool of every paragraph of the split, in paper order, each
// tagged with its paper; every question points at it, its gold and evidence paragraphs moved to
// the pool's indices. Retrievers rank it unchanged (BM25 then uses corpus statistics).
inline constexpr const char* kCorpusPaperId = "corpus";
Dataset corpusView(const Dataset& data);

// Maps one evidence string to the pool (exposed for tests).
EvidenceItem mapEvidence(const std::string& evidence, const Paper& paper, const QasperLoadOptions& options = {});

} // namespace uae

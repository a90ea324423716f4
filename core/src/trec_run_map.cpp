// mapTrecRun: a read run file tied to a split's questions and paragraphs, ranked as trec_eval
// ranks it and scored with the workbench's own metrics (trec_run.h).
#include "uae/trec_run.h"

#include "trec_problems.h"
#include "uae/qasper.h"

#include <algorithm>
#include <unordered_map>

namespace uae {

namespace {

// n of "p<n>" as `uae export --trec` writes it (no sign, no leading zero); -1 otherwise.
long indexDocno(const std::string& docno) {
    if (docno.size() < 2 || docno.size() > 12 || docno[0] != 'p' || (docno[1] == '0' && docno.size() > 2))
        return -1;
    long n = 0;
    for (size_t i = 1; i < docno.size(); ++i) {
        if (docno[i] < '0' || docno[i] > '9')
            return -1;
        n = n * 10 + (docno[i] - '0');
    }
    return n;
}

// Every name a paragraph of the split goes by in our exports, and where it points.
class DocnoTable {
public:
    explicit DocnoTable(const Dataset& data) : m_data(data) {
        for (size_t p = 0; p < data.papers.size(); ++p) {
            const Paper& paper = data.papers[p];
            m_offset.push_back(static_cast<int>(m_ownId.size()));
            for (size_t n = 0; n < paper.paragraphs.size(); ++n) {
                const std::string& own = paper.paragraphs[n].id;
                // Paragraphs with their own id (BEIR) go by it alone, as writeBeir and datasetDocnos name them.
                m_named.emplace(own.empty() ? paper.id + "#" + std::to_string(n) : own,
                                std::pair{static_cast<int>(p), static_cast<int>(n)});
                m_ownId.push_back(!own.empty());
            }
        }
    }

    // The index, in the pool the question is ranked against, of the paragraph `docno` names.
    Result<int> resolve(const std::string& docno, const Question& q, bool corpus) const {
        if (const auto it = m_named.find(docno); it != m_named.end()) {
            const auto [paper, n] = it->second;
            if (corpus)
                return m_offset[static_cast<size_t>(paper)] + n;
            if (paper != q.paper)
                return fail("docno '" + docno + "' is a paragraph of paper " + m_data.papers[paper].id +
                            ", outside question " + q.id + "'s paper " + m_data.paperOf(q).id +
                            " (--pool paper ranks each question against its own paper; a run over the whole "
                            "split is read with --pool corpus)");
            return n;
        }
        const long k = indexDocno(docno);
        if (k < 0)
            return fail(unknown(docno));
        const long size =
            corpus ? static_cast<long>(m_ownId.size()) : static_cast<long>(m_data.paperOf(q).paragraphs.size());
        const long corpusIndex = corpus ? k : m_offset[static_cast<size_t>(q.paper)] + k;
        if (k < size && m_ownId[static_cast<size_t>(corpusIndex)]) // named by its own id, never p<n>
            return fail(unknown(docno));
        if (k >= size)
            return fail("docno '" + docno + "' is outside " +
                        (corpus ? "the split's corpus pool" : "question " + q.id + "'s paper " + m_data.paperOf(q).id) +
                        " (" + std::to_string(size) + " paragraphs: p0 to p" + std::to_string(size - 1) + ")");
        return static_cast<int>(k);
    }

private:
    std::string unknown(const std::string& docno) const {
        return "unknown docno '" + docno + "': not a document of split '" + m_data.name +
               "' (expected p<N>, <paperId>#<N> or a corpus-id of the split)";
    }

    const Dataset& m_data;
    std::unordered_map<std::string, std::pair<int, int>> m_named; // name -> (paper, paragraph)
    std::vector<int> m_offset;                                    // paper -> its first corpus index
    std::vector<bool> m_ownId;                                    // corpus index -> named by its own id
};

struct Ranked {
    float score; // as trec_eval holds it: scores apart only below float precision are ties
    const TrecRunEntry* entry;
    int index; // into the ranked pool
};

// The run's lines grouped by question (split order), each line checked.
Result<std::vector<std::vector<Ranked>>> groupLines(const TrecRunFile& run, const Dataset& data, bool corpus) {
    std::unordered_map<std::string, size_t> questionIndex;
    for (size_t i = 0; i < data.questions.size(); ++i)
        questionIndex.emplace(data.questions[i].id, i);
    const auto known = [&](const TrecRunEntry& e) { return questionIndex.count(e.qid) > 0; };
    if (std::none_of(run.entries.begin(), run.entries.end(), known))
        return fail(run.path + ": none of the run's question ids is in split '" + data.name + "' (first: '" +
                    run.entries.front().qid + "'); is --split right?");
    const DocnoTable table(data);
    std::vector<std::vector<Ranked>> grouped(data.questions.size());
    std::vector<std::unordered_map<int, const TrecRunEntry*>> seen(data.questions.size());
    TrecProblems problems(run.path);
    for (const auto& e : run.entries) {
        const auto q = questionIndex.find(e.qid);
        if (q == questionIndex.end()) {
            problems.add(e.line, "unknown question id '" + e.qid + "': not in split '" + data.name + "'");
            continue;
        }
        auto index = table.resolve(e.docno, data.questions[q->second], corpus);
        if (!index) {
            problems.add(e.line, index.error());
            continue;
        }
        const auto [first, added] = seen[q->second].emplace(index.value(), &e);
        if (!added) {
            problems.add(e.line, "duplicate document for question " + e.qid + ": '" + e.docno + "'" +
                                     (first->second->docno == e.docno
                                          ? ""
                                          : " names the same paragraph as '" + first->second->docno + "'") +
                                     " (line " + std::to_string(first->second->line) + ")");
            continue;
        }
        grouped[q->second].push_back(Ranked{static_cast<float>(e.score), &e, index.value()});
    }
    if (problems.any())
        return fail(problems.message());
    return grouped;
}

} // namespace

Result<TrecRunMapping> mapTrecRun(const TrecRunFile& run, const Dataset& data, bool corpus) {
    auto grouped = groupLines(run, data, corpus);
    if (!grouped)
        return fail(grouped.error());
    Dataset view;
    if (corpus)
        view = corpusView(data);
    const Dataset& ranked = corpus ? view : data;
    TrecRunMapping out;
    for (size_t i = 0; i < ranked.questions.size(); ++i) {
        auto& docs = grouped.value()[i];
        // trec_eval's comp_sim_docno: score descending, then docno descending (strcmp).
        std::sort(docs.begin(), docs.end(), [](const Ranked& a, const Ranked& b) {
            return a.score != b.score ? a.score > b.score : a.entry->docno > b.entry->docno;
        });
        const Question& q = ranked.questions[i];
        QuestionResult r;
        r.questionId = q.id;
        for (const auto& d : docs) {
            r.order.push_back(d.index);
            r.scores.push_back(d.score);
        }
        scoreRanking(r, q, ranked.paperOf(q));
        out.questionsInRun += docs.empty() ? 0 : 1;
        out.missing += docs.empty() ? 1 : 0;
        out.missingWithEvidence += docs.empty() && q.hasTextEvidence() ? 1 : 0;
        out.results.push_back(std::move(r));
    }
    return out;
}

} // namespace uae

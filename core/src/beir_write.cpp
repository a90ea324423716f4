#include "uae/beir.h"

#include "atomic_file.h"
#include "uae/utility.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace uae {

namespace {

std::string docId(const Paper& paper, size_t n) {
    const auto& p = paper.paragraphs[n];
    return p.id.empty() ? paper.id + "#" + std::to_string(n) : p.id;
}

void writeCorpus(std::ostream& out, const Dataset& data, long& count) {
    for (const auto& paper : data.papers)
        for (size_t n = 0; n < paper.paragraphs.size(); ++n) {
            json meta{{"paper", paper.id}, {"section", paper.paragraphs[n].section}};
            if (n == 0 && !paper.abstract.empty()) // once per paper, not on each of its paragraphs
                meta["abstract"] = paper.abstract;
            const json doc{{"_id", docId(paper, n)},
                           {"title", paper.title},
                           {"text", paper.paragraphs[n].text},
                           {"metadata", meta}};
            out << doc.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
            ++count;
        }
}

json referencesJson(const Question& q, const Paper& paper) {
    json refs = json::array();
    for (const auto& r : q.references) {
        json evidence = json::array();
        for (const auto& e : r.evidence) {
            json item{{"text", e.text}, {"rule", evidenceRuleName(e.rule)}};
            if (e.paragraph >= 0)
                item["doc"] = docId(paper, static_cast<size_t>(e.paragraph));
            evidence.push_back(std::move(item));
        }
        refs.push_back(json{{"type", answerTypeName(r.type)},
                            {"answer", r.answer},
                            {"evidence", std::move(evidence)},
                            {"float_evidence", r.floatEvidence}});
    }
    return refs;
}

void writeQueries(std::ostream& out, const Dataset& data, long& count) {
    for (const auto& q : data.questions) {
        const Paper& paper = data.paperOf(q);
        // answers: the plain list other tools read; references: everything, for our own loader.
        const json meta{{"paper", paper.id}, {"answers", utilityAnswers(q)}, {"references", referencesJson(q, paper)}};
        const json line{{"_id", q.id}, {"text", q.text}, {"metadata", meta}};
        out << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
        ++count;
    }
}

void writeQrels(std::ostream& out, const Dataset& data, long& count) {
    out << "query-id\tcorpus-id\tscore\n";
    for (const auto& q : data.questions) {
        const Paper& paper = data.paperOf(q);
        for (int g : q.gold)
            out << q.id << '\t' << docId(paper, static_cast<size_t>(g)) << "\t1\n";
        if (q.gold.empty()) // judged, nothing relevant: the query stays in the split
            out << q.id << '\t' << docId(paper, 0) << "\t0\n";
        count += q.gold.empty() ? 1 : static_cast<long>(q.gold.size());
    }
}

Status checkWritable(const fs::path& root, const Dataset& data) {
    std::error_code ec;
    for (const char* name : {"corpus.jsonl", "queries.jsonl"})
        if (fs::exists(root / name, ec))
            return fail((root / name).string() + ": already exists; export into a new folder (nothing is replaced)");
    if (data.papers.size() == 1 && data.papers.front().id == kCorpusPaperId && data.format != "beir")
        return fail("writeBeir: give the per-paper split, not its corpus view");
    for (const auto& q : data.questions)
        if (q.gold.empty() && data.paperOf(q).paragraphs.empty())
            return fail("question " + q.id + ": its paper " + data.paperOf(q).id +
                        " has no paragraph to judge, so the query could not stay in the split");
    fs::create_directories(root / "qrels", ec);
    if (ec)
        return fail((root / "qrels").string() + ": cannot create folder: " + ec.message());
    return Ok{};
}

} // namespace

Result<BeirWriteSummary> writeBeir(const std::string& dir, const Dataset& data) {
    const fs::path root(dir);
    if (auto s = checkWritable(root, data); !s)
        return fail(s.error());
    BeirWriteSummary out;
    out.qrelsFile = (root / "qrels" / (data.name + ".tsv")).string();
    const std::string corpus = (root / "corpus.jsonl").string(), queries = (root / "queries.jsonl").string();
    // queries.jsonl last: until it exists the folder is not taken for a BEIR folder (isBeirFolder).
    for (auto [path, body] :
         {std::pair{corpus, &writeCorpus}, std::pair{out.qrelsFile, &writeQrels}, std::pair{queries, &writeQueries}}) {
        long& count = body == &writeCorpus ? out.documents : body == &writeQueries ? out.queries : out.judgements;
        auto s = detail::writeFileAtomically(path, [&](std::ostream& o) { body(o, data, count); });
        if (!s)
            return fail(s.error());
    }
    return out;
}

} // namespace uae

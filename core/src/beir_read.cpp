#include "uae/beir.h"

#include "beir_jsonl.h"
#include "qasper_json.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

namespace fs = std::filesystem;

namespace uae {

namespace {

using detail::BeirDocument;
using detail::BeirQuery;

struct Corpus {
    std::vector<Paper> papers;
    std::unordered_map<std::string, std::pair<int, int>> where; // corpus-id -> (paper, paragraph)
    std::unordered_map<std::string, int> paperIndex;
    bool grouped = false; // documents name their paper
};

std::string at(const std::string& path, long line) {
    return path + ":" + std::to_string(line) + ": ";
}

Result<Corpus> groupCorpus(std::vector<BeirDocument> docs, const std::string& path, const std::string& name) {
    Corpus c;
    c.grouped = docs.front().hasPaper;
    if (!c.grouped) {
        c.papers.push_back(Paper{kCorpusPaperId, name, {}, {}});
        c.paperIndex[kCorpusPaperId] = 0;
    }
    for (auto& d : docs) {
        if (d.hasPaper != c.grouped)
            return fail(at(path, d.line) + (c.grouped ? "no 'metadata.paper'" : "'metadata.paper' given") +
                        ", unlike the first document: name the paper on every document or on none");
        int paper = 0;
        if (c.grouped) {
            auto [it, added] = c.paperIndex.emplace(d.paper, static_cast<int>(c.papers.size()));
            if (added)
                c.papers.push_back(Paper{d.paper, d.title, d.abstract, {}});
            paper = it->second;
            if (!d.abstract.empty())
                c.papers[static_cast<size_t>(paper)].abstract = d.abstract;
        }
        auto& pool = c.papers[static_cast<size_t>(paper)].paragraphs;
        c.where[d.id] = {paper, static_cast<int>(pool.size())};
        // Without papers a document's title is all the heading it has: it is shown as the section.
        pool.push_back(Paragraph{c.grouped ? d.section : d.title, std::move(d.text), {}, d.id});
    }
    return c;
}

struct Judgement {
    int paper = -1;
    std::set<int> gold;
};

struct QrelsLine {
    std::string query, doc;
    int score = 0;
};

Result<QrelsLine> parseQrelsLine(const std::string& line, const std::string& where) {
    std::vector<std::string> cols;
    for (size_t start = 0;;) {
        const size_t tab = line.find('\t', start);
        cols.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos)
            break;
        start = tab + 1;
    }
    if (cols.size() != 3)
        return fail(where + std::to_string(cols.size()) +
                    " column(s), expected 3 separated by tabs: query-id, corpus-id, score");
    QrelsLine q{cols[0], cols[1], 0};
    const std::string& s = cols[2];
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), q.score);
    if (ec != std::errc() || end != s.data() + s.size())
        return fail(where + "score '" + s + "' is not an integer");
    if (q.query.empty() || q.doc.empty())
        return fail(where + "empty query-id or corpus-id");
    return q;
}

// One judgement applied: the query's paper is fixed by metadata.paper or its first judged document.
Status judge(const QrelsLine& l, const Corpus& c, const BeirQuery& q, Judgement& j, const std::string& where) {
    const auto doc = c.where.find(l.doc);
    if (doc == c.where.end())
        return fail(where + "document '" + l.doc + "' is not in corpus.jsonl");
    if (j.paper < 0)
        j.paper = c.grouped && !q.paper.empty() ? c.paperIndex.at(q.paper) : doc->second.first;
    if (l.score <= 0)
        return Ok{};
    if (doc->second.first != j.paper)
        return fail(where + "document '" + l.doc + "' is in paper '" + c.papers[doc->second.first].id +
                    "', but query '" + l.query + "' ranks the pool of paper '" + c.papers[j.paper].id + "'");
    j.gold.insert(doc->second.second);
    return Ok{};
}

Result<std::map<std::string, Judgement>> readQrels(const std::string& path, const Corpus& c,
                                                   const std::unordered_map<std::string, const BeirQuery*>& queries) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open for reading");
    std::map<std::string, Judgement> judged;
    std::string line;
    for (long number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos || (number == 1 && line.starts_with("query-id")))
            continue;
        const std::string where = at(path, number);
        auto l = parseQrelsLine(line, where);
        if (!l)
            return fail(l.error());
        const auto q = queries.find(l->query);
        if (q == queries.end())
            return fail(where + "query '" + l->query + "' is not in queries.jsonl");
        if (auto s = judge(*l, c, *q->second, judged[l->query], where); !s)
            return fail(s.error());
    }
    if (judged.empty())
        return fail(path + ": holds no judgement");
    return judged;
}

// Evidence that names its document points at that paragraph of the query's pool.
Status resolveEvidence(Question& q, const BeirQuery& raw, const Corpus& c, const std::string& queriesPath) {
    for (const auto& e : raw.evidenceDocs) {
        const auto doc = c.where.find(e.doc);
        const std::string where = at(queriesPath, raw.line) + "evidence document '" + e.doc + "' ";
        if (doc == c.where.end())
            return fail(where + "is not in corpus.jsonl");
        if (doc->second.first != q.paper)
            return fail(where + "is not in the query's paper '" + c.papers[q.paper].id + "'");
        auto& item = q.references[e.reference].evidence[e.item];
        item.paragraph = doc->second.second;
        if (item.rule == EvidenceRule::Unmatched)
            item.rule = EvidenceRule::Exact;
    }
    return Ok{};
}

// Plain answers: one reference each, its evidence the relevant documents' text.
void plainReferences(Question& q, const BeirQuery& raw, const Corpus& c) {
    std::vector<EvidenceItem> evidence;
    for (int g : q.gold)
        evidence.push_back(EvidenceItem{c.papers[q.paper].paragraphs[g].text, EvidenceRule::Exact, g});
    for (const auto& a : raw.answers)
        q.references.push_back(Reference{AnswerType::Abstractive, a, evidence, {}});
    if (raw.answers.empty())
        q.references.push_back(Reference{AnswerType::None, {}, evidence, {}});
}

Result<Question> makeQuestion(const BeirQuery& raw, const Judgement& j, const Corpus& c, const std::string& path) {
    Question q;
    q.id = raw.id;
    q.text = raw.text;
    q.paper = j.paper;
    q.gold.assign(j.gold.begin(), j.gold.end());
    if (raw.hasReferences) {
        q.references = raw.references;
        if (auto s = resolveEvidence(q, raw, c, path); !s)
            return fail(s.error());
    } else {
        plainReferences(q, raw, c);
    }
    return q;
}

Status requireFile(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return fail(path + ": missing (" + what + ")");
    return Ok{};
}

std::string splitsIn(const std::string& qrelsDir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(qrelsDir, ec))
        if (e.path().extension() == ".tsv")
            names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

} // namespace

bool isBeirFolder(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) && fs::exists(fs::path(path) / "corpus.jsonl", ec) &&
           fs::exists(fs::path(path) / "queries.jsonl", ec);
}

Result<Dataset> loadBeir(const std::string& dir, const std::string& split) {
    const fs::path root(dir);
    const std::string corpusPath = (root / "corpus.jsonl").string(), queriesPath = (root / "queries.jsonl").string();
    const std::string qrelsPath = (root / "qrels" / (split + ".tsv")).string();
    const std::string layout = "a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv";
    for (const auto& f : {corpusPath, queriesPath})
        if (auto s = requireFile(f, layout); !s)
            return fail(s.error());
    if (auto s = requireFile(qrelsPath, "splits here: " + splitsIn((root / "qrels").string())); !s)
        return fail(s.error());
    auto docs = detail::readBeirCorpus(corpusPath);
    if (!docs)
        return fail(docs.error());
    auto corpus = groupCorpus(std::move(docs.value()), corpusPath, root.filename().string());
    auto queries = detail::readBeirQueries(queriesPath);
    if (!corpus || !queries)
        return fail(!corpus ? corpus.error() : queries.error());
    std::unordered_map<std::string, const BeirQuery*> byId;
    for (const auto& q : *queries) {
        if (corpus->grouped && !q.paper.empty() && !corpus->paperIndex.count(q.paper))
            return fail(at(queriesPath, q.line) + "paper '" + q.paper + "' has no document in corpus.jsonl");
        byId[q.id] = &q;
    }
    auto judged = readQrels(qrelsPath, *corpus, byId);
    if (!judged)
        return fail(judged.error());
    Dataset data;
    data.name = split;
    data.format = "beir";
    data.files = {corpusPath, queriesPath, qrelsPath};
    for (const auto& raw : *queries) {
        const auto j = judged->find(raw.id);
        if (j == judged->end())
            continue; // judged in another split
        auto q = makeQuestion(raw, j->second, *corpus, queriesPath);
        if (!q)
            return fail(q.error());
        detail::addQuestionStats(*q, data.mapping);
        data.questions.push_back(std::move(q.value()));
    }
    data.papers = std::move(corpus->papers);
    return data;
}

} // namespace uae

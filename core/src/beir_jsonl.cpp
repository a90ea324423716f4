#include "beir_jsonl.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <unordered_set>

using json = nlohmann::json;

namespace uae::detail {

namespace {

// Thrown while one line is parsed; the caller prefixes "FILE:LINE: ".
struct LineError {
    std::string message;
};

// nlohmann names the position inside the line as "line 1, column C": keep only the column.
std::string parseProblem(const json::parse_error& e) {
    const std::string what = e.what();
    const auto at = what.find("column ");
    return "malformed JSON" + (at == std::string::npos ? ": " + what : " at " + what.substr(at));
}

// Calls onLine for each non-blank line parsed as a JSON object; errors name file and line.
Status forEachJsonLine(const std::string& path, const std::function<void(const json&, long)>& onLine) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open for reading");
    std::string line;
    for (long number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (number == 1 && line.starts_with("\xEF\xBB\xBF")) // a UTF-8 byte order mark
            line.erase(0, 3);
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        const std::string where = path + ":" + std::to_string(number) + ": ";
        try {
            const json j = json::parse(line);
            if (!j.is_object())
                return fail(where + "is " + std::string(j.type_name()) + ", expected a JSON object");
            onLine(j, number);
        } catch (const json::parse_error& e) {
            return fail(where + parseProblem(e));
        } catch (const json::exception& e) { // e.g. a number beyond a double's range
            return fail(where + e.what());
        } catch (const LineError& e) {
            return fail(where + e.message);
        }
    }
    if (in.bad())
        return fail(path + ": read failed");
    return Ok{};
}

// "_id": a non-empty string, or an integer (some sets number their documents).
std::string idOf(const json& j) {
    const auto it = j.find("_id");
    if (it == j.end())
        throw LineError{"missing '_id'"};
    if (it->is_number_integer())
        return it->dump();
    if (!it->is_string() || it->get<std::string>().empty())
        throw LineError{"'_id' must be a non-empty string, is " + it->dump()};
    return it->get<std::string>();
}

std::string stringAt(const json& j, const char* key, bool required, const std::string& in = {}) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            throw LineError{"missing '" + in + key + "'"};
        return {};
    }
    if (!it->is_string())
        throw LineError{"'" + in + key + "' must be a string, is " + std::string(it->type_name())};
    return it->get<std::string>();
}

const json& metadataOf(const json& j) {
    static const json empty = json::object();
    const auto it = j.find("metadata");
    if (it == j.end() || it->is_null())
        return empty;
    if (!it->is_object())
        throw LineError{"'metadata' must be an object, is " + std::string(it->type_name())};
    return *it;
}

// A string or a list of strings (answer fields of BEIR-style sets).
std::vector<std::string> stringList(const json& v, const std::string& key) {
    if (v.is_string())
        return {v.get<std::string>()};
    if (!v.is_array())
        throw LineError{"'" + key + "' must be a string or a list of strings, is " + std::string(v.type_name())};
    std::vector<std::string> out;
    for (const auto& s : v) {
        if (!s.is_string())
            throw LineError{"'" + key + "' holds a " + std::string(s.type_name()) + ", expected strings"};
        out.push_back(s.get<std::string>());
    }
    return out;
}

std::vector<std::string> plainAnswers(const json& j, const json& meta) {
    for (const auto* holder : {&meta, &j})
        for (const char* key : {"answers", "answer"})
            if (auto it = holder->find(key); it != holder->end() && !it->is_null())
                return stringList(*it, (holder == &meta ? "metadata." : "") + std::string(key));
    return {};
}

void parseEvidence(const json& ev, size_t refIndex, BeirQuery& q) {
    Reference& ref = q.references.back();
    if (!ev.is_object())
        throw LineError{"metadata.references evidence must be objects {text, rule, doc}"};
    EvidenceItem item{stringAt(ev, "text", true, "metadata.references evidence "), EvidenceRule::Unmatched, -1};
    if (const std::string rule = stringAt(ev, "rule", false); !rule.empty() && !evidenceRuleFromName(rule, item.rule))
        throw LineError{"metadata.references evidence rule '" + rule + "' is unknown"};
    if (const std::string doc = stringAt(ev, "doc", false); !doc.empty())
        q.evidenceDocs.push_back({refIndex, ref.evidence.size(), doc});
    ref.evidence.push_back(std::move(item));
}

void parseReferences(const json& refs, BeirQuery& q) {
    if (!refs.is_array())
        throw LineError{"'metadata.references' must be a list, is " + std::string(refs.type_name())};
    q.hasReferences = true;
    for (const auto& r : refs) {
        if (!r.is_object())
            throw LineError{"'metadata.references' holds a " + std::string(r.type_name()) + ", expected objects"};
        Reference ref;
        const std::string type = stringAt(r, "type", true, "metadata.references ");
        if (!answerTypeFromName(type, ref.type))
            throw LineError{"metadata.references type '" + type +
                            "' is unknown (extractive, abstractive, boolean, none)"};
        ref.answer = stringAt(r, "answer", false);
        if (auto it = r.find("float_evidence"); it != r.end() && !it->is_null())
            ref.floatEvidence = stringList(*it, "metadata.references float_evidence");
        q.references.push_back(std::move(ref));
        if (auto it = r.find("evidence"); it != r.end() && !it->is_null()) {
            if (!it->is_array())
                throw LineError{"'metadata.references evidence' must be a list"};
            for (const auto& ev : *it)
                parseEvidence(ev, q.references.size() - 1, q);
        }
    }
}

} // namespace

Result<std::vector<BeirDocument>> readBeirCorpus(const std::string& path) {
    std::vector<BeirDocument> docs;
    std::unordered_set<std::string> ids;
    auto s = forEachJsonLine(path, [&](const json& j, long line) {
        BeirDocument d;
        d.line = line;
        d.id = idOf(j);
        if (!ids.insert(d.id).second)
            throw LineError{"document '" + d.id + "' appears twice"};
        d.title = stringAt(j, "title", false);
        d.text = stringAt(j, "text", true);
        const json& meta = metadataOf(j);
        d.hasPaper = meta.contains("paper") && !meta["paper"].is_null();
        d.paper = stringAt(meta, "paper", false, "metadata.");
        if (d.hasPaper && d.paper.empty())
            throw LineError{"'metadata.paper' is empty"};
        d.section = stringAt(meta, "section", false, "metadata.");
        d.abstract = stringAt(meta, "abstract", false, "metadata.");
        docs.push_back(std::move(d));
    });
    if (!s)
        return fail(s.error());
    if (docs.empty())
        return fail(path + ": holds no document");
    return docs;
}

Result<std::vector<BeirQuery>> readBeirQueries(const std::string& path) {
    std::vector<BeirQuery> queries;
    std::unordered_set<std::string> ids;
    auto s = forEachJsonLine(path, [&](const json& j, long line) {
        BeirQuery q;
        q.line = line;
        q.id = idOf(j);
        if (!ids.insert(q.id).second)
            throw LineError{"query '" + q.id + "' appears twice"};
        q.text = stringAt(j, "text", true);
        const json& meta = metadataOf(j);
        q.paper = stringAt(meta, "paper", false, "metadata.");
        if (auto it = meta.find("references"); it != meta.end() && !it->is_null())
            parseReferences(*it, q);
        else
            q.answers = plainAnswers(j, meta);
        queries.push_back(std::move(q));
    });
    if (!s)
        return fail(s.error());
    return queries;
}

bool answerTypeFromName(const std::string& name, AnswerType& out) {
    for (auto t : {AnswerType::Extractive, AnswerType::Abstractive, AnswerType::Boolean, AnswerType::None})
        if (name == answerTypeName(t)) {
            out = t;
            return true;
        }
    return false;
}

bool evidenceRuleFromName(const std::string& name, EvidenceRule& out) {
    for (int r = 0; r < static_cast<int>(EvidenceRule::Count); ++r)
        if (name == evidenceRuleName(static_cast<EvidenceRule>(r))) {
            out = static_cast<EvidenceRule>(r);
            return true;
        }
    return false;
}

} // namespace uae::detail

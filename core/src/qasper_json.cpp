#include "qasper_json.h"

#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using json = nlohmann::ordered_json;

namespace uae::detail {

namespace {

// Thrown inside this file only, turned into an Error naming the file at the boundary.
struct FormatError {
    std::string message;
};

const json& member(const json& obj, const char* key, json::value_t type, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end())
        throw FormatError{where + ": missing '" + key + "'"};
    const bool okType = it->type() == type || (type == json::value_t::number_integer && it->is_number());
    if (!okType)
        throw FormatError{where + ": '" + key + "' is " + it->type_name() + ", expected " + json(type).type_name()};
    return *it;
}

std::string stringOr(const json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw FormatError{where + ": '" + key + "' is " + it->type_name() + ", expected string"};
    return it->get<std::string>();
}

Reference parseAnswer(const json& answerInfo, const std::string& where) {
    const json& a = member(answerInfo, "answer", json::value_t::object, where);
    Reference ref;
    if (a.value("unanswerable", false)) {
        ref.type = AnswerType::None;
        ref.answer = "Unanswerable";
        return ref; // the official evaluator gives unanswerable references no evidence
    }
    std::vector<std::string> spans;
    if (auto it = a.find("extractive_spans"); it != a.end() && it->is_array())
        for (const auto& s : *it)
            if (s.is_string())
                spans.push_back(s.get<std::string>());
    const std::string freeForm = stringOr(a, "free_form_answer", where);
    const auto yesNo = a.find("yes_no");
    if (!spans.empty()) {
        ref.type = AnswerType::Extractive;
        for (size_t i = 0; i < spans.size(); ++i)
            ref.answer += (i ? ", " : "") + spans[i];
    } else if (!freeForm.empty()) {
        ref.type = AnswerType::Abstractive;
        ref.answer = freeForm;
    } else if (yesNo != a.end() && yesNo->is_boolean()) {
        ref.type = AnswerType::Boolean;
        ref.answer = yesNo->get<bool>() ? "Yes" : "No";
    } else {
        throw FormatError{where + ": answer has no span, free-form text, yes/no or unanswerable flag"};
    }
    if (auto it = a.find("evidence"); it != a.end() && !it->is_null()) {
        if (!it->is_array())
            throw FormatError{where + ": 'evidence' is " + std::string(it->type_name()) + ", expected array"};
        for (const auto& e : *it) {
            if (!e.is_string())
                throw FormatError{where + ": evidence entry is not a string"};
            std::string s = e.get<std::string>();
            // Same test as the official evaluator's --text_evidence_only.
            if (s.find("FLOAT SELECTED") != std::string::npos)
                ref.floatEvidence.push_back(std::move(s));
            else
                ref.evidence.push_back(EvidenceItem{std::move(s)});
        }
    }
    return ref;
}

RawPaper parsePaper(const std::string& id, const json& p) {
    const std::string where = "paper " + id;
    if (!p.is_object())
        throw FormatError{where + ": is " + std::string(p.type_name()) + ", expected object"};
    RawPaper raw;
    raw.paper.id = id;
    raw.paper.title = stringOr(p, "title", where);
    raw.paper.abstract = stringOr(p, "abstract", where);
    for (const auto& section : member(p, "full_text", json::value_t::array, where)) {
        const std::string name = section.is_object() ? stringOr(section, "section_name", where) : "";
        const json& paras = member(section, "paragraphs", json::value_t::array, where + " section '" + name + "'");
        for (const auto& para : paras) {
            if (!para.is_string())
                throw FormatError{where + " section '" + name + "': paragraph is not a string"};
            std::string t = para.get<std::string>();
            if (!text::trim(t).empty())
                raw.paper.paragraphs.push_back(Paragraph{name, std::move(t), {}, {}});
        }
    }
    for (const auto& qa : member(p, "qas", json::value_t::array, where)) {
        Question q;
        q.id = member(qa, "question_id", json::value_t::string, where).get<std::string>();
        q.text = member(qa, "question", json::value_t::string, where + " question " + q.id).get<std::string>();
        const std::string qwhere = where + " question " + q.id;
        for (const auto& answer : member(qa, "answers", json::value_t::array, qwhere))
            q.references.push_back(parseAnswer(answer, qwhere));
        raw.questions.push_back(std::move(q));
    }
    return raw;
}

} // namespace

Result<std::vector<RawPaper>> readQasperFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open for reading");
    std::stringstream buffer;
    buffer << in.rdbuf();
    json root;
    try {
        root = json::parse(buffer.str());
    } catch (const json::parse_error& e) {
        return fail(path + ": malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const json::exception& e) { // e.g. out_of_range: a number too large for a double
        return fail(path + ": malformed JSON: " + e.what());
    }
    if (!root.is_object())
        return fail(path + ": top level is " + std::string(root.type_name()) +
                    ", expected an object keyed by paper id (allenai QASPER layout)");
    std::vector<RawPaper> papers;
    try {
        for (auto it = root.begin(); it != root.end(); ++it)
            papers.push_back(parsePaper(it.key(), it.value()));
    } catch (const FormatError& e) {
        return fail(path + ": " + e.message);
    } catch (const json::exception& e) {
        return fail(path + ": " + e.what());
    }
    return papers;
}

} // namespace uae::detail

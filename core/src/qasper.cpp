#include "uae/qasper.h"

#include "qasper_json.h"
#include "uae/text.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace uae {

const char* answerTypeName(AnswerType type) {
    switch (type) {
    case AnswerType::Extractive:
        return "extractive";
    case AnswerType::Abstractive:
        return "abstractive";
    case AnswerType::Boolean:
        return "boolean";
    case AnswerType::None:
        return "none";
    }
    return "?";
}

const char* evidenceRuleName(EvidenceRule rule) {
    switch (rule) {
    case EvidenceRule::Exact:
        return "exact";
    case EvidenceRule::Contained:
        return "contained";
    case EvidenceRule::Overlap:
        return "overlap";
    case EvidenceRule::SectionName:
        return "section-name";
    case EvidenceRule::TooShort:
        return "too-short";
    case EvidenceRule::Unmatched:
        return "unmatched";
    case EvidenceRule::Count:
        break;
    }
    return "?";
}

const Question* Dataset::findQuestion(const std::string& id) const {
    for (const auto& q : questions)
        if (q.id == id)
            return &q;
    return nullptr;
}

namespace detail {

void addQuestionStats(const Question& q, EvidenceMappingStats& stats) {
    std::array<bool, static_cast<int>(EvidenceRule::Count)> used{};
    bool unanswerable = !q.references.empty();
    for (const auto& ref : q.references) {
        unanswerable = unanswerable && ref.type == AnswerType::None;
        stats.floatItems += static_cast<long>(ref.floatEvidence.size());
        for (const auto& ev : ref.evidence) {
            ++stats.items[static_cast<int>(ev.rule)];
            used[static_cast<int>(ev.rule)] = true;
        }
    }
    for (size_t r = 0; r < used.size(); ++r)
        stats.questions[r] += used[r] ? 1 : 0;
    stats.questionsWithTextEvidence += q.hasTextEvidence() ? 1 : 0;
    stats.unanswerableQuestions += unanswerable ? 1 : 0;
}

} // namespace detail

namespace {

// Normalised views of one paper, built once and reused for all its evidence strings.
class EvidenceMapper {
public:
    EvidenceMapper(const Paper& paper, const QasperLoadOptions& options) : m_options(options) {
        for (const auto& p : paper.paragraphs) {
            m_norm.push_back(text::normalizeForMatch(p.text));
            auto w = text::words(p.text);
            m_words.emplace_back(w.begin(), w.end());
            m_sections.insert(text::normalizeForMatch(p.section));
        }
        m_sections.insert(text::normalizeForMatch(paper.title));
        m_sections.insert("abstract");
    }

    EvidenceItem map(const std::string& evidence) const {
        EvidenceItem item{evidence, EvidenceRule::Unmatched, -1};
        const std::string n = text::normalizeForMatch(evidence);
        if (n.empty())
            return item;
        for (size_t i = 0; i < m_norm.size(); ++i)
            if (m_norm[i] == n)
                return set(item, EvidenceRule::Exact, i);
        if (m_sections.count(n))
            return set(item, EvidenceRule::SectionName, -1);
        const auto words = text::words(evidence);
        if (static_cast<int>(words.size()) < m_options.minFragmentWords)
            return set(item, EvidenceRule::TooShort, -1);
        for (size_t i = 0; i < m_norm.size(); ++i)
            if (m_norm[i].find(n) != std::string::npos)
                return set(item, EvidenceRule::Contained, i);
        return bestOverlap(item, words);
    }

private:
    static EvidenceItem set(EvidenceItem item, EvidenceRule rule, long index) {
        item.rule = rule;
        item.paragraph = static_cast<int>(index);
        return item;
    }

    EvidenceItem bestOverlap(EvidenceItem item, const std::vector<std::string>& words) const {
        std::unordered_set<std::string> unique(words.begin(), words.end());
        double best = 0;
        long bestIndex = -1;
        for (size_t i = 0; i < m_words.size(); ++i) {
            long hit = 0;
            for (const auto& w : unique)
                hit += m_words[i].count(w) ? 1 : 0;
            const double share = static_cast<double>(hit) / static_cast<double>(unique.size());
            if (share > best) {
                best = share;
                bestIndex = static_cast<long>(i);
            }
        }
        if (bestIndex >= 0 && best >= m_options.minOverlap)
            return set(item, EvidenceRule::Overlap, bestIndex);
        return item;
    }

    const QasperLoadOptions& m_options;
    std::vector<std::string> m_norm;
    std::vector<std::unordered_set<std::string>> m_words;
    std::unordered_set<std::string> m_sections;
};

// Why a directory entry cannot be read as a data file; empty when it is a regular file.
std::string notAFile(const fs::directory_entry& entry) {
    std::error_code ec;
    if (entry.is_regular_file(ec))
        return {};
    if (entry.is_symlink(ec) && !fs::exists(entry.path(), ec))
        return "a link to nothing (" + fs::read_symlink(entry.path(), ec).string() + ")";
    if (entry.is_directory(ec))
        return "a folder";
    return "not a regular file (a pipe, socket or device)";
}

Result<std::vector<std::string>> splitFiles(const std::string& path, const std::string& split) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return fail(path + ": no such file or folder");
    if (!fs::is_directory(path, ec))
        return std::vector<std::string>{path};
    std::vector<std::string> files;
    const std::string prefix = "qasper-" + split + "-";
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix) || !name.ends_with(".json"))
            continue;
        if (auto kind = notAFile(entry); !kind.empty()) // named like a part, so the user meant it
            return fail(entry.path().string() + ": " + kind + ", not a QASPER file");
        files.push_back(entry.path().string());
    }
    if (ec)
        return fail(path + ": cannot list folder: " + ec.message());
    if (files.empty())
        return fail(path + ": no " + prefix + "*.json file for split '" + split + "'");
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

EvidenceItem mapEvidence(const std::string& evidence, const Paper& paper, const QasperLoadOptions& options) {
    return EvidenceMapper(paper, options).map(evidence);
}

Result<Dataset> loadQasper(const std::string& path, const std::string& split, const QasperLoadOptions& options) {
    auto files = splitFiles(path, split);
    if (!files)
        return fail(files.error());
    Dataset data;
    data.name = split;
    data.files = files.value();
    std::unordered_set<std::string> paperIds, questionIds;
    for (const auto& file : data.files) {
        auto papers = detail::readQasperFile(file);
        if (!papers)
            return fail(papers.error());
        for (auto& raw : papers.value()) {
            if (!paperIds.insert(raw.paper.id).second)
                return fail(file + ": paper " + raw.paper.id + " appears twice in split '" + split + "'");
            const int paperIndex = static_cast<int>(data.papers.size());
            data.papers.push_back(std::move(raw.paper));
            EvidenceMapper mapper(data.papers.back(), options);
            for (auto& q : raw.questions) {
                if (!questionIds.insert(q.id).second)
                    return fail(file + ": question " + q.id + " appears twice");
                q.paper = paperIndex;
                std::set<int> gold;
                for (auto& ref : q.references)
                    for (auto& ev : ref.evidence) {
                        ev = mapper.map(ev.text);
                        if (ev.paragraph >= 0)
                            gold.insert(ev.paragraph);
                    }
                q.gold.assign(gold.begin(), gold.end());
                detail::addQuestionStats(q, data.mapping);
                data.questions.push_back(std::move(q));
            }
        }
    }
    if (data.questions.empty()) // an empty run stored as finished with metrics 0 would mislead
        return fail(path + ": split '" + split + "' holds no questions (" + std::to_string(data.papers.size()) +
                    " papers in " + std::to_string(data.files.size()) + " file(s))");
    return data;
}

} // namespace uae

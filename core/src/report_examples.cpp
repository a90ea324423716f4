// The report's example questions: each run's top ranks with gold marked and the gold's journey.
#include "report_detail.h"

#include "uae/qasper.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace uae::detail {

namespace {

// The first `words` words of a text, "…" when cut.
std::string firstWords(const std::string& text, size_t words) {
    std::string out;
    size_t count = 0, i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        const size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (start == i)
            break;
        if (count == words)
            return out + " …";
        out += (count++ ? " " : "") + text.substr(start, i - start);
    }
    return out;
}

// At most `bytes` bytes, cut at a UTF-8 character boundary, "…" when cut.
std::string cut(const std::string& text, size_t bytes) {
    if (text.size() <= bytes)
        return text;
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
        --bytes;
    return text.substr(0, bytes) + "…";
}

int rankOf(const QuestionResult& r, int paragraph) {
    const auto it = std::find(r.order.begin(), r.order.end(), paragraph);
    return it == r.order.end() ? 0 : static_cast<int>(it - r.order.begin()) + 1;
}

bool isGold(const QuestionResult& r, int paragraph) {
    return std::find(r.gold.begin(), r.gold.end(), paragraph) != r.gold.end();
}

void describeParagraph(const Paper* paper, int paragraph, size_t words, std::string& section, std::string& excerpt) {
    if (!paper || paragraph < 0 || paragraph >= static_cast<int>(paper->paragraphs.size()))
        return;
    section = cut(paper->paragraphs[paragraph].section, 60);
    excerpt = firstWords(paper->paragraphs[paragraph].text, words);
}

std::vector<ReportHit> topHits(const QuestionResult& r, const Paper* paper, int top) {
    std::vector<ReportHit> hits;
    for (size_t i = 0; i < r.order.size() && static_cast<int>(i) < top; ++i) {
        ReportHit h;
        h.rank = static_cast<int>(i) + 1;
        h.paragraph = r.order[i];
        h.score = i < r.scores.size() ? r.scores[i] : 0.0f;
        h.gold = isGold(r, h.paragraph);
        describeParagraph(paper, h.paragraph, 14, h.section, h.excerpt);
        hits.push_back(std::move(h));
    }
    return hits;
}

ReportQuestion example(const QuestionResult& a, const QuestionResult& b, const Dataset* data, int top) {
    ReportQuestion q;
    q.id = a.questionId;
    const Question* question = data ? data->findQuestion(q.id) : nullptr;
    const Paper* paper = question ? &data->paperOf(*question) : nullptr;
    if (question) {
        q.text = question->text;
        q.paper = paper->title;
        for (const auto& ref : question->references)
            if (q.answer.empty() && !ref.answer.empty())
                q.answer = firstWords(ref.answer, 40);
    }
    q.evaluated = a.evaluated() && b.evaluated();
    q.mapA = a.metrics[Metric::Map];
    q.mapB = b.metrics[Metric::Map];
    q.topA = topHits(a, paper, top);
    q.topB = topHits(b, paper, top);
    std::vector<int> gold = a.gold;
    for (int g : b.gold)
        if (!isGold(a, g))
            gold.push_back(g);
    std::sort(gold.begin(), gold.end());
    for (int g : gold) {
        GoldJourney j{g, {}, {}, rankOf(a, g), rankOf(b, g)};
        describeParagraph(paper, g, 10, j.section, j.excerpt);
        q.journey.push_back(std::move(j));
    }
    return q;
}

// The questions (with gold) where B gains most and loses most MAP against A; none without a change.
std::vector<std::pair<size_t, std::string>> biggestWinAndLoss(const std::vector<QuestionResult>& a,
                                                              const std::vector<QuestionResult>& b) {
    std::unordered_map<std::string, const QuestionResult*> byId;
    for (const auto& r : b)
        byId[r.questionId] = &r;
    size_t win = a.size(), loss = a.size();
    double best = 0, worst = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const auto it = byId.find(a[i].questionId);
        if (!a[i].evaluated() || it == byId.end() || !it->second->evaluated())
            continue;
        const double d = it->second->metrics[Metric::Map] - a[i].metrics[Metric::Map];
        if (d > best)
            best = d, win = i;
        if (d < worst)
            worst = d, loss = i;
    }
    std::vector<std::pair<size_t, std::string>> out;
    if (win < a.size())
        out.push_back({win, "the biggest MAP win of B"});
    if (loss < a.size())
        out.push_back({loss, "the biggest MAP loss of B"});
    return out;
}

} // namespace

std::vector<ReportQuestion> reportExamples(const ReportRequest& request, const std::vector<QuestionResult>& a,
                                           const std::vector<QuestionResult>& b, const Dataset* data,
                                           std::vector<std::string>& missing) {
    std::unordered_map<std::string, size_t> inA, inB;
    for (size_t i = 0; i < a.size(); ++i)
        inA[a[i].questionId] = i;
    for (size_t i = 0; i < b.size(); ++i)
        inB[b[i].questionId] = i;
    std::vector<ReportQuestion> out;
    if (request.pinned.empty()) {
        for (const auto& [i, why] : biggestWinAndLoss(a, b)) {
            out.push_back(example(a[i], b[inB.at(a[i].questionId)], data, request.top));
            out.back().why = why;
        }
        return out;
    }
    for (const auto& id : request.pinned) {
        const auto ia = inA.find(id), ib = inB.find(id);
        if (ia == inA.end() || ib == inB.end())
            missing.push_back(id);
        else
            out.push_back(example(a[ia->second], b[ib->second], data, request.top));
    }
    return out;
}

} // namespace uae::detail

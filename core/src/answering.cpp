#include "uae/answering.h"

#include "uae/causal_lm.h"
#include "uae/lm_tokenizer.h"
#include "uae/qasper.h"
#include "uae/scorer_lm.h"
#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_set>

namespace uae {

double tokenF1(const std::string& prediction, const std::string& reference) {
    auto bag = [](const std::string& s) {
        std::map<std::string, int> b;
        std::istringstream in(text::normalizeAnswer(s));
        for (std::string w; in >> w;)
            ++b[w];
        return b;
    };
    const auto p = bag(prediction), r = bag(reference);
    long same = 0, np = 0, nr = 0;
    for (const auto& [w, c] : p) {
        np += c;
        if (auto it = r.find(w); it != r.end())
            same += std::min(c, it->second);
    }
    for (const auto& [w, c] : r)
        nr += c;
    if (same == 0)
        return 0.0;
    const double precision = static_cast<double>(same) / static_cast<double>(np);
    const double recall = static_cast<double>(same) / static_cast<double>(nr);
    return 2 * precision * recall / (precision + recall);
}

double answerF1(const std::string& prediction, const Question& q) {
    double best = 0;
    for (const auto& ref : q.references)
        best = std::max(best, tokenF1(prediction, ref.answer));
    return best;
}

std::string ReaderExtractive::configJson() const {
    return nlohmann::json{{"reader", "extractive"}, {"rule", "sentence with most question content words"}}.dump();
}

namespace {

std::vector<std::string> sentences(const std::string& paragraph) {
    std::vector<std::string> out;
    std::string cur;
    for (size_t i = 0; i < paragraph.size(); ++i) {
        cur.push_back(paragraph[i]);
        const char c = paragraph[i];
        if ((c == '.' || c == '?' || c == '!') && (i + 1 == paragraph.size() || paragraph[i + 1] == ' ')) {
            if (auto t = text::trim(cur); !t.empty())
                out.push_back(t);
            cur.clear();
        }
    }
    if (auto t = text::trim(cur); !t.empty())
        out.push_back(t);
    return out;
}

} // namespace

std::string ReaderExtractive::answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) {
    const auto qw = text::contentWords(q.text);
    const std::unordered_set<std::string> question(qw.begin(), qw.end());
    std::string best;
    double bestScore = -1;
    for (int p : paragraphs)
        for (const auto& s : sentences(paper.paragraphs.at(static_cast<size_t>(p)).text)) {
            const auto words = text::contentWords(s);
            std::unordered_set<std::string> seen;
            for (const auto& w : words)
                if (question.count(w))
                    seen.insert(w);
            // Overlap, lightly preferring shorter sentences among equals (answers are short).
            const double score = static_cast<double>(seen.size()) - 1e-3 * static_cast<double>(words.size());
            if (score > bestScore) {
                bestScore = score;
                best = s;
            }
        }
    return best;
}

AnswerPrompt answerPrompt(bool chat, const std::string& question) {
    if (chat)
        return {"answer-chat-v1", "<|im_start|>user\nAnswer the question in a few words, using the context.\nContext: ",
                "\nQuestion: " + question + "<|im_end|>\n<|im_start|>assistant\n"};
    return {"answer-v1", "Context: ", "\nQuestion: " + question + "\nAnswer:"};
}

namespace {

// Where the first stop string begins, searching from the first non-blank character (npos: none).
size_t firstStop(const std::string& generated, const std::vector<std::string>& stops) {
    const size_t start = std::min(generated.size(), generated.find_first_not_of(" \t\r\n"));
    size_t first = std::string::npos;
    for (const auto& stop : stops)
        if (!stop.empty())
            first = std::min(first, generated.find(stop, start));
    return first;
}

} // namespace

std::string cutAtStop(const std::string& generated, const std::vector<std::string>& stops) {
    return text::trim(std::string_view(generated).substr(0, firstStop(generated, stops)));
}

ReaderLm::ReaderLm(std::shared_ptr<CausalLm> lm, std::string modelName, int maxNewTokens,
                   std::vector<std::string> stops, bool chat)
    : m_lm(std::move(lm)), m_modelName(std::move(modelName)), m_maxNewTokens(maxNewTokens), m_stops(std::move(stops)),
      m_chat(chat) {}

std::string ReaderLm::configJson() const {
    const AnswerPrompt p = answerPrompt(m_chat, "{question}");
    return nlohmann::json{{"reader", "lm"},
                          {"model", m_modelName},
                          {"device", m_lm->device()},
                          {"max_new_tokens", m_maxNewTokens},
                          {"decoding", "greedy"},
                          {"stops", m_stops},
                          {"prompt_version", promptVersion()},
                          {"prompt", p.head + "{paragraphs}" + p.tail}}
        .dump();
}

std::string ReaderLm::answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) {
    std::string context;
    for (int p : paragraphs)
        context += (context.empty() ? "" : "\n\n") + paper.paragraphs.at(static_cast<size_t>(p)).text;
    const AnswerPrompt p = answerPrompt(m_chat, q.text);
    const auto prompt = promptWithPassage(*m_lm, p.head, context, p.tail, static_cast<size_t>(m_maxNewTokens));
    const LmTokenizer& tok = *m_lm->tokenizer();
    std::vector<std::int32_t> stopIds{tok.eosId()};
    if (m_chat) // the end of the assistant's turn, whichever id the checkpoint calls EOS
        if (const auto end = tok.encode("<|im_end|>", false); end.size() == 1)
            stopIds.push_back(end.front());
    auto ids = m_lm->generate(prompt, m_maxNewTokens, stopIds, [&](const std::vector<std::int32_t>& sofar) {
        return firstStop(tok.decode(sofar), m_stops) != std::string::npos;
    });
    if (!ids.empty() && std::find(stopIds.begin(), stopIds.end(), ids.back()) != stopIds.end())
        ids.pop_back(); // the end-of-turn token is no part of the answer
    const std::string answer = cutAtStop(tok.decode(ids), m_stops);
    if (!m_chat)
        return answer;
    std::string oneLine; // a chat reply may run over lines: one line, as the answer is stored and shown
    for (char c : answer)
        if (c == '\n' || c == '\r')
            oneLine += oneLine.empty() || oneLine.back() == ' ' ? "" : " ";
        else
            oneLine += c;
    return oneLine;
}

std::string MemoReader::answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) {
    auto key = std::make_pair(q.id, paragraphs);
    if (auto it = m_answers.find(key); it != m_answers.end()) {
        ++m_hits;
        return it->second;
    }
    return m_answers[std::move(key)] = m_inner->answer(q, paper, paragraphs);
}

} // namespace uae

#pragma once
// The problems of one TREC run file, gathered so a user sees every bad line of a file at once
// instead of fixing it one line per attempt. The first problem starts the message, so a file with
// one bad line still reads "FILE:LINE: problem".
#include <string>
#include <vector>

namespace uae {

class TrecProblems {
public:
    explicit TrecProblems(std::string path) : m_path(std::move(path)) {}

    // `problem` without the location; `line` is 1-based.
    void add(long line, const std::string& problem) {
        ++m_count;
        if (m_shown.size() < kShown)
            m_shown.push_back(m_path + ":" + std::to_string(line) + ": " + problem);
    }
    bool any() const { return m_count > 0; }

    std::string message() const {
        std::string out;
        for (const auto& p : m_shown)
            out += (out.empty() ? "" : "\n") + p;
        if (m_count > 1)
            out += "\n" + m_path + ": " + std::to_string(m_count) + " problems in all" +
                   (m_count > m_shown.size() ? ", the first " + std::to_string(kShown) + " shown" : "");
        return out;
    }

private:
    static constexpr size_t kShown = 20; // enough to see a pattern, few enough to read
    std::string m_path;
    std::vector<std::string> m_shown;
    size_t m_count = 0;
};

} // namespace uae

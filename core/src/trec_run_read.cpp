// readTrecRun: the syntax of a TREC run file, line by line (trec_run.h).
#include "uae/trec_run.h"

#include "trec_problems.h"
#include "uae/sha256.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cmath>
#include <fstream>
#include <sstream>

namespace uae {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Whitespace-separated fields, as trec_eval splits them (a CR of a CRLF file is whitespace).
std::vector<std::string_view> fieldsOf(std::string_view line) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && isSpace(line[i]))
            ++i;
        const size_t start = i;
        while (i < line.size() && !isSpace(line[i]))
            ++i;
        if (i > start)
            out.push_back(line.substr(start, i - start));
    }
    return out;
}

// The score as trec_eval's atof reads a well-formed one (an optional '+' included), but strictly:
// the whole field, finite. Empty when it is not.
std::string scoreProblem(std::string_view text, double& value) {
    std::string_view digits = text.starts_with('+') ? text.substr(1) : text;
    const char* last = digits.data() + digits.size();
    auto [end, ec] = std::from_chars(digits.data(), last, value);
    if (ec == std::errc::result_out_of_range) {
        // Too small for a double (1e-400) is 0 to trec_eval's atof; too large stays an error.
        long double wide = 0;
        const auto w = std::from_chars(digits.data(), last, wide);
        if (w.ec != std::errc() || w.ptr != last || std::fabs(wide) >= 1)
            return "score '" + std::string(text) + "' is out of range";
        value = 0, end = w.ptr, ec = std::errc();
    }
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        (digits.size() < text.size() && digits.starts_with('-'))) // "+-5": one sign only
        return "score '" + std::string(text) + "' is not a number";
    if (!std::isfinite(value))
        return "score '" + std::string(text) + "' is not finite";
    // trec_eval keeps scores as floats, and so does the workspace: one past float's range would
    // be stored as inf and could not be read back.
    if (std::fabs(value) > std::numeric_limits<float>::max())
        return "score '" + std::string(text) + "' is out of a float's range (trec_eval reads scores as floats)";
    return {};
}

std::string rankProblem(std::string_view text) {
    long rank = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rank);
    if (ec != std::errc() || end != text.data() + text.size() || rank < 0)
        return "rank '" + std::string(text) + "' is not an integer >= 0";
    return {};
}

// One non-blank line into `run`, or what is wrong with it (empty when nothing is).
std::string readLine(std::string_view line, long number, TrecRunFile& run) {
    const auto f = fieldsOf(line);
    if (f.empty())
        return {};
    if (f.size() != 6)
        return "expected 6 fields 'qid Q0 docno rank score tag', found " + std::to_string(f.size());
    TrecRunEntry e{std::string(f[0]), std::string(f[2]), 0, number};
    if (auto p = rankProblem(f[3]); !p.empty())
        return p;
    if (auto p = scoreProblem(f[4], e.score); !p.empty())
        return p;
    if (std::find(run.tags.begin(), run.tags.end(), f[5]) == run.tags.end())
        run.tags.emplace_back(f[5]);
    run.entries.push_back(std::move(e));
    ++run.lines;
    return {};
}

} // namespace

Result<TrecRunFile> readTrecRun(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open the run file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return fail(path + ": cannot read the run file");
    const std::string bytes = buffer.str();
    TrecRunFile run;
    run.path = path;
    run.sha256 = sha256Hex(bytes.data(), bytes.size());
    TrecProblems problems(path);
    long number = 0;
    for (size_t start = 0; start < bytes.size();) {
        size_t end = bytes.find('\n', start);
        if (end == std::string::npos)
            end = bytes.size();
        if (auto p = readLine(std::string_view(bytes).substr(start, end - start), ++number, run); !p.empty())
            problems.add(number, p);
        start = end + 1;
    }
    if (problems.any())
        return fail(problems.message());
    if (run.entries.empty())
        return fail(path + ": no run line 'qid Q0 docno rank score tag' (the file is empty or blank)");
    return run;
}

} // namespace uae

#include "bpe_merge.h"

#include <queue>

namespace uae::bpe {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Symbols in text order as a doubly linked list over their original positions; a symbol keeps
// the position of its leftmost part, so position order is text order.
struct SymbolList {
    std::vector<std::size_t> prev, next;
    std::vector<std::uint32_t> version; // bumped whenever the symbol changes or dies
    std::vector<bool> alive;

    explicit SymbolList(std::size_t n) : prev(n), next(n), version(n, 0), alive(n, true) {
        for (std::size_t i = 0; i < n; ++i) {
            prev[i] = i == 0 ? kNone : i - 1;
            next[i] = i + 1 < n ? i + 1 : kNone;
        }
    }
    // Right joins left: right dies, left's version changes.
    void join(std::size_t left, std::size_t right) {
        alive[right] = false;
        ++version[right];
        ++version[left];
        next[left] = next[right];
        if (next[right] != kNone)
            prev[next[right]] = left;
    }
};

struct Candidate {
    double priority; // lower pops first
    std::size_t left, right;
    std::uint32_t leftVersion, rightVersion;
    bool operator>(const Candidate& o) const { return priority != o.priority ? priority > o.priority : left > o.left; }
};

using Queue = std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>>;

bool current(const SymbolList& s, const Candidate& c) {
    return s.alive[c.left] && s.alive[c.right] && s.next[c.left] == c.right && s.version[c.left] == c.leftVersion &&
           s.version[c.right] == c.rightVersion;
}

} // namespace

std::vector<std::string> mergeByRank(std::vector<std::string> parts,
                                     const std::unordered_map<std::string, int>& ranks) {
    if (parts.size() < 2)
        return parts;
    SymbolList s(parts.size());
    Queue queue;
    std::string key;
    auto candidate = [&](std::size_t left, std::size_t right, std::vector<Candidate>& into) {
        if (left == kNone || right == kNone)
            return;
        key.assign(parts[left]).append(" ").append(parts[right]);
        if (auto it = ranks.find(key); it != ranks.end())
            into.push_back({static_cast<double>(it->second), left, right, s.version[left], s.version[right]});
    };
    std::vector<Candidate> pending;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        candidate(i, i + 1, pending);
    for (auto& c : pending)
        queue.push(c);
    while (!queue.empty()) {
        // One step of the reference loop: the lowest-ranked current pair, then every occurrence
        // of that same pair in text order. Pairs the step creates wait until it is done, as the
        // reference only sees them on its next scan.
        pending.clear();
        std::string first, second;
        double rank = -1;
        while (!queue.empty() && (rank < 0 || queue.top().priority == rank)) {
            const Candidate c = queue.top();
            queue.pop();
            if (!current(s, c))
                continue;
            if (rank < 0) {
                rank = c.priority;
                first = parts[c.left];
                second = parts[c.right];
            } else if (parts[c.left] != first || parts[c.right] != second) {
                pending.push_back(c); // another pair under the same key: a later step
                continue;
            }
            parts[c.left] += parts[c.right];
            parts[c.right].clear();
            s.join(c.left, c.right);
            candidate(s.prev[c.left], c.left, pending);
            candidate(c.left, s.next[c.left], pending);
        }
        for (auto& c : pending)
            queue.push(c);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i != kNone; i = s.next[i])
        out.push_back(std::move(parts[i]));
    return out;
}

void mergeByScore(std::vector<std::int32_t>& tokens, const std::vector<std::string>& pieces,
                  const std::vector<float>& scores, const std::unordered_map<std::string, std::int32_t>& ids) {
    if (tokens.size() < 2)
        return;
    SymbolList s(tokens.size());
    Queue queue;
    std::string key;
    auto candidate = [&](std::size_t left, std::size_t right) {
        if (left == kNone || right == kNone)
            return;
        key.assign(pieces[static_cast<std::size_t>(tokens[left])])
            .append(pieces[static_cast<std::size_t>(tokens[right])]);
        auto it = ids.find(key);
        // The reference keeps a pair only when its score beats -1e10 (so never a NaN).
        if (it == ids.end() || !(scores[static_cast<std::size_t>(it->second)] > -1e10f))
            return;
        // Highest score first: the queue pops the lowest priority, ties by leftmost position.
        queue.push({-static_cast<double>(scores[static_cast<std::size_t>(it->second)]), left, right, s.version[left],
                    s.version[right]});
    };
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i)
        candidate(i, i + 1);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        if (!current(s, c))
            continue;
        key.assign(pieces[static_cast<std::size_t>(tokens[c.left])])
            .append(pieces[static_cast<std::size_t>(tokens[c.right])]);
        tokens[c.left] = ids.at(key);
        s.join(c.left, c.right);
        candidate(s.prev[c.left], c.left);
        candidate(c.left, s.next[c.left]);
    }
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i != kNone; i = s.next[i])
        out.push_back(tokens[i]);
    tokens = std::move(out);
}

} // namespace uae::bpe

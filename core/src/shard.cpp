#include "uae/shard.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace uae {

namespace {

constexpr int kMaxShards = 100000;

bool parseInt(const std::string& s, int& out) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

} // namespace

Result<Shard> parseShard(const std::string& text) {
    if (text.empty())
        return Shard{};
    const auto slash = text.find('/');
    Shard s;
    if (slash == std::string::npos || !parseInt(text.substr(0, slash), s.index) ||
        !parseInt(text.substr(slash + 1), s.count))
        return fail("'" + text + "' is not a shard: write I/N, e.g. 0/4 for the first of four");
    if (s.count < 1 || s.count > kMaxShards)
        return fail("'" + text + "': the shard count must be from 1 to " + std::to_string(kMaxShards));
    if (s.index >= s.count)
        return fail("'" + text + "': the shard index counts from 0 and must be below " + std::to_string(s.count));
    return s;
}

std::string shardProblem(const std::string& text) {
    auto s = parseShard(text);
    return s ? std::string() : s.error();
}

std::string toString(Shard shard) {
    return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

std::vector<size_t> shardPositions(const std::vector<std::string>& ids, Shard shard) {
    std::vector<size_t> order(ids.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (shard.count <= 1)
        return order;
    // Ties (a repeated id) fall back to data order, so the deal stays deterministic.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
    std::vector<size_t> mine;
    for (size_t p = static_cast<size_t>(shard.index); p < order.size(); p += static_cast<size_t>(shard.count))
        mine.push_back(order[p]);
    std::sort(mine.begin(), mine.end());
    return mine;
}

} // namespace uae

#include "uae/retriever.h"

#include <algorithm>
#include <numeric>

namespace uae {

std::vector<int> sortByScore(const std::vector<float>& scores) {
    std::vector<int> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] > scores[b]; });
    return order;
}

} // namespace uae

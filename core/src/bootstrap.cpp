#include "uae/bootstrap.h"

#include <algorithm>
#include <random>

namespace uae {

PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int samples,
                                 unsigned seed) {
    PairedDifference out;
    const size_t n = std::min(a.size(), b.size());
    if (n == 0 || samples <= 0)
        return out;
    std::vector<double> d(n);
    for (size_t i = 0; i < n; ++i) {
        d[i] = b[i] - a[i];
        out.mean += d[i] / static_cast<double>(n);
    }
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::vector<double> means(static_cast<size_t>(samples));
    long below = 0, above = 0;
    for (auto& m : means) {
        double s = 0;
        for (size_t i = 0; i < n; ++i)
            s += d[pick(rng)];
        m = s / static_cast<double>(n);
        below += m <= 0 ? 1 : 0;
        above += m >= 0 ? 1 : 0;
    }
    std::sort(means.begin(), means.end());
    auto at = [&](double q) { return means[static_cast<size_t>(q * (static_cast<double>(samples) - 1) + 0.5)]; };
    out.low = at(0.025);
    out.high = at(0.975);
    out.p = std::min(1.0, 2.0 * static_cast<double>(std::min(below, above)) / samples);
    return out;
}

} // namespace uae

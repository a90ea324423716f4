#pragma once
// Paired bootstrap for comparing two methods on the same questions.
#include <vector>

namespace uae {

struct PairedDifference {
    double mean = 0; // mean of b - a
    double low = 0;  // 95% percentile interval of the resampled means
    double high = 0;
    double p = 1; // two-sided: how often the resampled mean falls on the other side of 0
};

// a and b are per-question values in the same question order. Deterministic for a given seed.
PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b, int samples = 2000,
                                 unsigned seed = 1234);

} // namespace uae

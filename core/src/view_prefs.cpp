#include "uae/view_prefs.h"

#include <algorithm>
#include <cmath>

namespace uae {

std::vector<std::string> pushRecent(std::vector<std::string> recent, const std::string& path) {
    std::erase_if(recent, [&](const std::string& p) { return p.empty() || p == path; });
    if (!path.empty())
        recent.insert(recent.begin(), path);
    if (recent.size() > ViewPrefs::kRecentEntries)
        recent.resize(ViewPrefs::kRecentEntries);
    return recent;
}

double stepFontScale(double scale, int steps) {
    if (steps == 0)
        return 1.0;
    const double next = scale * std::pow(ViewPrefs::kFontScaleStep, steps);
    return std::clamp(next, ViewPrefs::kFontScaleMin, ViewPrefs::kFontScaleMax);
}

} // namespace uae

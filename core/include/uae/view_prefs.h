#pragma once
// Display preferences' policy for the workbench (the GUI stores them in QSettings): the recent
// workspaces / data folders list and the font-scale steps of presentation (Ctrl+= / Ctrl+- /
// Ctrl+0). Plain values and functions, no Qt.
#include <cstddef>
#include <string>
#include <vector>

namespace uae {

struct ViewPrefs {
    static constexpr std::size_t kRecentEntries = 8; // per list (workspaces, data folders)
    static constexpr double kFontScaleStep = 1.15;   // one Ctrl+= / Ctrl+- step, multiplicative
    static constexpr double kFontScaleMin = 0.6;
    static constexpr double kFontScaleMax = 3.0;
    static constexpr double kPresentationScale = 1.4; // F5 enlarges on top of the chosen scale
};

// `path` moved (or added) to the front of `recent`; duplicates and empty entries dropped,
// at most ViewPrefs::kRecentEntries kept.
std::vector<std::string> pushRecent(std::vector<std::string> recent, const std::string& path);

// The font scale after `steps` Ctrl+= (positive) or Ctrl+- (negative) presses, clamped to
// [kFontScaleMin, kFontScaleMax]; steps == 0 resets to 1.
double stepFontScale(double scale, int steps);

} // namespace uae

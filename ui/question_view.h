#pragma once
// Question details as rich text: question, paper, reference answers, evidence and how each
// evidence string was mapped to the pool.
#include <QString>

namespace uae {
struct Dataset;
struct Question;
} // namespace uae

namespace uae::ui {

QString questionHtml(const Dataset& data, const Question& question);

} // namespace uae::ui

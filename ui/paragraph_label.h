#pragma once
// Where a paragraph comes from, as the views print it: its section, and in the corpus pool
// (issue 15) first the paper it belongs to, since the pool mixes every paper of the split.
#include "uae/qasper.h"

#include <QString>

namespace uae::ui {

inline QString paragraphPlace(const Paragraph& p) {
    const QString section = QString::fromStdString(p.section);
    return p.paperId.empty() ? section : QStringLiteral("[%1] %2").arg(QString::fromStdString(p.paperId), section);
}

} // namespace uae::ui

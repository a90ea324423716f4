// InspectorView's keyboard navigation and the state it keeps between sessions (QSettings).
#include "inspector_view.h"

#include "paragraph_pane.h"
#include "question_pane.h"
#include "rank_grid_view.h"
#include "ranking_panel.h"

#include <QSettings>
#include <QShortcut>
#include <QSplitter>

namespace uae::ui {

namespace {

const char* const kMainSplitter = "inspector/mainSplitter";
const char* const kRightSplitter = "inspector/rightSplitter";
const char* const kGridSplitter = "inspector/gridSplitter";
const char* const kDetail = "inspector/detailMode";
const char* const kMethods = "inspector/methods";

} // namespace

// Work wherever the focus is inside the inspector (the list, the grid, the panels).
void InspectorView::createNavigationKeys() {
    const std::pair<QKeySequence, int> questionKeys[] = {{QKeySequence(Qt::CTRL | Qt::Key_Down), 1},
                                                         {QKeySequence(Qt::CTRL | Qt::Key_Up), -1}};
    for (const auto& [key, delta] : questionKeys) {
        auto* shortcut = new QShortcut(key, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, m_questions,
                [this, delta = delta] { m_questions->stepQuestion(delta); });
    }
    const std::pair<QKeySequence, int> rankKeys[] = {{QKeySequence(Qt::ALT | Qt::Key_Down), 1},
                                                     {QKeySequence(Qt::ALT | Qt::Key_Up), -1}};
    for (const auto& [key, delta] : rankKeys) {
        auto* shortcut = new QShortcut(key, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, m_grid, [this, delta = delta] { m_grid->stepRank(delta); });
    }
    auto* detail =
        new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_D), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(detail, &QShortcut::activated, this, [this] { setDetailMode(!m_detail); });
}

QStringList InspectorView::shownMethods() const {
    QStringList methods;
    for (const RankingPanel* panel : m_panels)
        methods << panel->method();
    return methods;
}

void InspectorView::saveState(QSettings& settings) const {
    settings.setValue(kMainSplitter, m_main->saveState());
    settings.setValue(kRightSplitter, m_right->saveState());
    settings.setValue(kGridSplitter, m_gridArea->saveState());
    settings.setValue(kDetail, m_detail);
    settings.setValue(kMethods, shownMethods());
}

void InspectorView::restoreState(const QSettings& settings) {
    m_main->restoreState(settings.value(kMainSplitter).toByteArray());
    m_right->restoreState(settings.value(kRightSplitter).toByteArray());
    m_gridArea->restoreState(settings.value(kGridSplitter).toByteArray());
    m_paragraph->hide(); // it opens with a selected cell, whatever the splitter says
    setDetailMode(settings.value(kDetail, false).toBool());
}

QStringList InspectorView::savedMethods(const QSettings& settings) {
    return settings.value(kMethods).toStringList();
}

} // namespace uae::ui

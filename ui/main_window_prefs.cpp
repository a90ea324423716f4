// MainWindow's everyday comfort: recent workspaces and QASPER folders, font scaling for
// presentations, and the layout kept between sessions (QSettings).
#include "main_window.h"

#include "inspector_view.h"
#include "recent_menu.h"
#include "uae/view_prefs.h"
#include "workbench_session.h"

#include <QAction>
#include <QCloseEvent>
#include <QMenu>
#include <QSettings>
#include <QTabWidget>

namespace uae::ui {

namespace {

const char* const kGeometry = "window/geometry";
const char* const kState = "window/state";
const char* const kFontScale = "view/fontScale";

} // namespace

void MainWindow::buildRecentMenus(QMenu* file) {
    m_recentWorkspaces = new RecentMenu(tr("Recent &workspaces"), QStringLiteral("recent/workspaces"), this);
    m_recentData = new RecentMenu(tr("Recent QASPER f&olders"), QStringLiteral("recent/dataDirs"), this);
    file->addMenu(m_recentWorkspaces);
    file->addMenu(m_recentData);
    connect(m_recentWorkspaces, &RecentMenu::chosen, this, &MainWindow::openWorkspaceAt);
    connect(m_recentData, &RecentMenu::chosen, this,
            [this](const QString& dir) { m_session.loadDataset(dir, m_session.settings().split); });
}

// On the window, so they work in presentation mode with the menu bar hidden.
void MainWindow::buildFontActions(QMenu* view) {
    view->addSeparator();
    const struct {
        QString text;
        QList<QKeySequence> keys;
        int steps;
    } actions[] = {
        {tr("&Larger text"), {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)}, 1},
        {tr("&Smaller text"), {QKeySequence(Qt::CTRL | Qt::Key_Minus)}, -1},
        {tr("&Normal text size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, 0},
    };
    for (const auto& a : actions) {
        auto* action = new QAction(a.text, this);
        action->setShortcuts(a.keys);
        connect(action, &QAction::triggered, this, [this, steps = a.steps] { stepFontScale(steps); });
        addAction(action);
        view->addAction(action);
    }
}

void MainWindow::stepFontScale(int steps) {
    m_fontScale = uae::stepFontScale(m_fontScale, steps);
    applyFonts();
}

void MainWindow::applyFonts() {
    QFont font = m_normalFont;
    const double presenting = m_presenting ? ViewPrefs::kPresentationScale : 1.0;
    font.setPointSizeF(m_normalFont.pointSizeF() * m_fontScale * presenting);
    m_tabs->setFont(font);
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.setValue(kGeometry, m_presenting ? m_normalGeometry : saveGeometry());
    settings.setValue(kState, saveState());
    settings.setValue(kFontScale, m_fontScale);
    m_inspector->saveState(settings);
}

void MainWindow::restoreLayout() {
    const QSettings settings;
    restoreGeometry(settings.value(kGeometry).toByteArray());
    restoreState(settings.value(kState).toByteArray());
    m_fontScale =
        std::clamp(settings.value(kFontScale, 1.0).toDouble(), ViewPrefs::kFontScaleMin, ViewPrefs::kFontScaleMax);
    applyFonts();
    m_inspector->restoreState(settings);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace uae::ui

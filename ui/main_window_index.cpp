// MainWindow's Index menu: building a stored FAISS index through the dialog and the job runner,
// and the Indexes dock that lists them.
#include "main_window.h"

#include "index_build_dialog.h"
#include "index_panel.h"
#include "workbench_session.h"

#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>

namespace uae::ui {

void MainWindow::buildIndexMenu() {
    auto* menu = menuBar()->addMenu(tr("&Index"));
    auto* build = menu->addAction(tr("Build vector &index…"), this, &MainWindow::buildIndexDialog);
    build->setObjectName("build-index-action");
    build->setToolTip(tr("A FAISS index of a dense method's passage vectors over a split (uae index build)"));
    auto* dock = findChild<QDockWidget*>("indexes-dock");
    menu->addAction(tr("&Stored indexes"), this, [dock] {
        dock->show();
        dock->raise();
    });
    connect(m_indexPanel, &IndexPanel::buildRequested, this, &MainWindow::buildIndexDialog);
}

void MainWindow::buildIndexDialog() {
    if (!m_session.hasWorkspace()) {
        m_jobLabel->setText(tr("Open a workspace first: indexes are stored in it."));
        return;
    }
    if (m_session.indexJob()) {
        m_jobLabel->setText(tr("An index is being built; cancel it or wait for it first."));
        return;
    }
    IndexBuildDialog dialog(m_session, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session.buildIndex(dialog.config(), dialog.useAfter());
    auto* dock = findChild<QDockWidget*>("indexes-dock");
    dock->show(); // the list fills when the job ends; its progress shows in the status bar
    dock->raise();
}

} // namespace uae::ui

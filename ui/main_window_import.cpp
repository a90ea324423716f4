// MainWindow: File > Import TREC run… — an outside system's run stored through the job runner
// (WorkbenchSession::importTrecRun) and shown side by side with the methods already there.
#include "main_window.h"

#include "inspector_view.h"
#include "ranking_panel.h"
#include "trec_import_dialog.h"
#include "workbench_session.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QTabWidget>

namespace uae::ui {

void MainWindow::importTrecRunDialog() {
    // Said before the file chooser: the run's question ids are the loaded split's.
    if (!m_session.hasWorkspace()) {
        m_jobLabel->setText(tr("Open a workspace first: the imported run is stored in it."));
        return;
    }
    if (!m_session.splitDataset()) {
        m_jobLabel->setText(tr("Load a QASPER or BEIR folder first: the run's question ids are its split's."));
        return;
    }
    if (m_session.importJob()) {
        m_jobLabel->setText(tr("A TREC run is being imported; wait for it first."));
        return;
    }
    const QString file = QFileDialog::getOpenFileName(this, tr("Import TREC run"), m_session.exportsDir(),
                                                      tr("TREC runs (*.trec *.run *.txt);;All files (*)"));
    if (!file.isEmpty())
        importTrecRunFile(file);
}

void MainWindow::importTrecRunFile(const QString& file) {
    TrecImportDialog dialog(m_session, file, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!m_session.importTrecRun(dialog.config())) // a second import started while the dialog was open
        m_jobLabel->setText(tr("A TREC run is being imported; wait for it first."));
}

void MainWindow::onRunImported(qint64 runId) {
    const auto& imported = m_session.lastImport();
    if (!imported || imported->run.id != runId)
        return;
    reloadRuns();
    QString shown = tr("switch to split %1 to see it").arg(QString::fromStdString(imported->run.split));
    if (imported->run.split == m_session.settings().split.toStdString()) {
        // Its paragraph indices count in its own pool: the inspector follows it there.
        if (imported->pool != m_session.settings().pool)
            m_pool->setCurrentIndex(m_pool->findData(imported->pool)); // setPool through the tool bar
        const QString key = QStringLiteral("run:%1").arg(runId);
        m_inspector->reloadMethods();
        if (!m_inspector->addPanel(key)) // four panels already: it takes B's place
            m_inspector->showMethods(m_inspector->panel(0)->method(), key);
        m_tabs->setCurrentWidget(m_inspector);
        shown = tr("shown as a new column");
    }
    const int questions = imported->questionsInRun + imported->missing;
    QString text = tr("Imported %1 as run #%2 (%3 pool): %4 of the split's %5 questions ranked, %6 missing "
                      "(stored ranked empty); %7")
                       .arg(QString::fromStdString(imported->run.method))
                       .arg(runId)
                       .arg(imported->pool)
                       .arg(imported->questionsInRun)
                       .arg(questions)
                       .arg(imported->missing)
                       .arg(shown);
    if (imported->warnings > 0)
        text += tr(" — %n warning(s) in the Jobs log", nullptr, imported->warnings);
    m_jobLabel->setText(text);
}

} // namespace uae::ui

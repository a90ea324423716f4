// MainWindow: File > Export report… (the report for stakeholders as a PDF, uae/report.h).
#include "main_window.h"

#include "inspector_view.h"
#include "question_pane.h"
#include "ranking_panel.h"
#include "uae/qasper.h"
#include "workbench_session.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>

namespace uae::ui {

namespace {

// The two runs to compare, A (the base) and B; false when cancelled.
bool chooseRuns(QWidget* parent, const QList<QPair<QString, QString>>& runs, const QString& examples, qint64& a,
                qint64& b) {
    QDialog dialog(parent);
    dialog.setObjectName("report-dialog");
    dialog.setWindowTitle(QObject::tr("Export report"));
    auto* form = new QFormLayout(&dialog);
    QComboBox* combos[2] = {new QComboBox, new QComboBox};
    for (int i = 0; i < 2; ++i) {
        for (const auto& [key, label] : runs)
            combos[i]->addItem(label, key.mid(4).toLongLong()); // "run:<id>"
        combos[i]->setCurrentIndex(std::max(0, combos[i]->findData(i ? b : a)));
    }
    form->addRow(QObject::tr("Run &A (the base):"), combos[0]);
    form->addRow(QObject::tr("Run &B (compared with A):"), combos[1]);
    auto* note = new QLabel(examples);
    note->setWordWrap(true);
    form->addRow(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    a = combos[0]->currentData().toLongLong();
    b = combos[1]->currentData().toLongLong();
    return true;
}

} // namespace

QPair<qint64, qint64> MainWindow::shownRuns() {
    qint64 ids[2] = {0, 0};
    for (int i = 0; i < 2 && i < m_inspector->panelCount(); ++i)
        if (const MethodResults* r = m_session.results(m_inspector->panel(i)->method()))
            ids[i] = r->run.id;
    return {ids[0], ids[1]};
}

QString MainWindow::exportReport(qint64 runA, qint64 runB, const QString& path) {
    QStringList examples = m_inspector->questions()->pinned();
    if (examples.isEmpty())
        if (const Question* q = m_inspector->questions()->currentQuestion())
            examples << QString::fromStdString(q->id);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const QString error = m_session.exportReport(runA, runB, examples, path);
    QApplication::restoreOverrideCursor();
    return error;
}

void MainWindow::exportReportDialog() {
    const auto runs = m_session.storedRuns();
    if (runs.size() < 2) {
        QMessageBox::information(this, tr("Export report"),
                                 tr("A report compares two evaluation runs of the split %1; this workspace has %2.")
                                     .arg(m_session.settings().split)
                                     .arg(runs.size()));
        return;
    }
    const int pinned = static_cast<int>(m_inspector->questions()->pinned().size());
    const QString examples = pinned ? tr("Examples: the %1 pinned question(s) (★, Ctrl+B).").arg(pinned)
                                    : tr("Examples: the selected question (pin more with Ctrl+B).");
    auto [a, b] = shownRuns();
    if (!chooseRuns(this, runs, examples, a, b))
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"), m_session.exportsDir() + QStringLiteral("/report-%1-%2.pdf").arg(a).arg(b),
        tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (const QString error = exportReport(a, b, path); !error.isEmpty())
        QMessageBox::warning(this, tr("Export report"), tr("The report was not written: %1").arg(error));
    else
        statusBar()->showMessage(tr("Report written to %1").arg(path), 5000);
}

} // namespace uae::ui

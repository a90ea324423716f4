#include "compare_view.h"

#include "compare_table_model.h"
#include "plots/compare_charts.h"
#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "sidebar_layout.h"
#include "workbench_session.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextStream>
#include <QVBoxLayout>

#include <set>

namespace uae::ui {

namespace {

QString csvField(QString s) {
    if (s.contains(',') || s.contains('"') || s.contains('\n'))
        s = '"' + s.replace('"', "\"\"") + '"';
    return s;
}

} // namespace

CompareView::CompareView(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_runs(new QListWidget), m_compare(new QPushButton(tr("Compare"))),
      m_export(new QPushButton(tr("Export CSV…"))), m_note(new QLabel), m_model(new CompareTableModel(this)),
      m_table(new QTableView), m_metrics(new QCustomPlot), m_latency(new QCustomPlot) {
    installSidebarLayout(this, buildSidebar(), buildResults(), 280);
    connect(m_compare, &QPushButton::clicked, this, &CompareView::compare);
    connect(m_runs, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        item->setCheckState(Qt::Checked);
        m_runs->insertItem(0, m_runs->takeItem(m_runs->row(item)));
        compare();
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export comparison"), m_session.exportsDir() + "/comparison.csv", tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportCsv(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Export comparison"), error);
    });
}

// The run list with Compare and Export below it.
QWidget* CompareView::buildSidebar() {
    m_runs->setToolTip(tr("Tick two or more runs. The top ticked run is the baseline the others are tested "
                          "against; double-click a run to make it the baseline."));
    m_export->setEnabled(false);
    auto* sidebar = new QWidget;
    auto* layout = new QVBoxLayout(sidebar);
    layout->addWidget(new QLabel(tr("<b>Evaluation runs</b>")));
    layout->addWidget(m_runs, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_compare);
    buttons->addWidget(m_export);
    layout->addLayout(buttons);
    return sidebar;
}

// The table with its note above the two charts.
QWidget* CompareView::buildResults() {
    m_note->setWordWrap(true);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (QCustomPlot* p : {m_metrics, m_latency}) {
        p->setMinimumHeight(220);
        enablePlotTools(p);
    }
    m_metrics->setObjectName("compare-metrics");
    m_latency->setObjectName("compare-latency");
    auto* charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(m_metrics);
    charts->addWidget(m_latency);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addWidget(m_note);
    auto* results = new QSplitter(Qt::Vertical);
    results->addWidget(top);
    results->addWidget(charts);
    results->setSizes({240, 560});
    return results;
}

void CompareView::reloadRuns() {
    m_runs->clear();
    const auto runs = m_session.allRuns();
    const std::string split = m_session.settings().split.toStdString();
    std::set<std::string> newest;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        if (it->kind != RunKind::Eval || it->split != split || it->status != RunStatus::Finished)
            continue;
        auto* item = new QListWidgetItem(tr("#%1  %2").arg(it->id).arg(QString::fromStdString(it->method)));
        item->setData(Qt::UserRole, static_cast<qlonglong>(it->id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(newest.insert(it->method).second ? Qt::Checked : Qt::Unchecked);
        m_runs->addItem(item);
    }
}

void CompareView::setSelectedRuns(const QList<qint64>& runs) {
    for (int i = 0; i < m_runs->count(); ++i)
        m_runs->item(i)->setCheckState(runs.contains(m_runs->item(i)->data(Qt::UserRole).toLongLong()) ? Qt::Checked
                                                                                                       : Qt::Unchecked);
    // The baseline is the first given: move it to the top of the list.
    for (int i = 0; !runs.isEmpty() && i < m_runs->count(); ++i)
        if (m_runs->item(i)->data(Qt::UserRole).toLongLong() == runs.first()) {
            m_runs->insertItem(0, m_runs->takeItem(i));
            break;
        }
}

QList<qint64> CompareView::selectedRuns() const {
    QList<qint64> out;
    for (int i = 0; i < m_runs->count(); ++i)
        if (m_runs->item(i)->checkState() == Qt::Checked)
            out << m_runs->item(i)->data(Qt::UserRole).toLongLong();
    return out;
}

void CompareView::clearResults(const QString& note) {
    m_model->setRuns({});
    m_metrics->clearPlottables();
    m_latency->clearPlottables();
    m_export->setEnabled(false);
    m_note->setText(note);
}

// Runs of another split than the first are refused; unfinished runs and different question sets
// are said first, in bold, and every figure is taken over the questions all runs ranked.
Result<QString> CompareView::cutToCommon(std::vector<WorkbenchSession::StoredRun>& runs) {
    std::vector<RunInfo> infos;
    std::vector<std::vector<QuestionResult>> results;
    for (auto& r : runs) {
        if (const auto why = incomparable(runs.front().run, r.run); !why.empty())
            return fail(tr("#%1 and #%2 cannot be compared: %3")
                            .arg(runs.front().run.id)
                            .arg(r.run.id)
                            .arg(QString::fromStdString(why))
                            .toStdString());
        infos.push_back(r.run);
        results.push_back(std::move(r.questions));
    }
    const auto notes = cutToCommonQuestions(infos, results);
    for (size_t i = 0; i < runs.size(); ++i)
        runs[i].questions = std::move(results[i]);
    QString text;
    for (const auto& n : notes)
        text += QStringLiteral("<b>%1</b><br>").arg(QString::fromStdString(n).toHtmlEscaped());
    return text;
}

void CompareView::compare() {
    const QList<qint64> ids = selectedRuns();
    if (!m_session.hasWorkspace() || ids.size() < 2) {
        clearResults(tr("Tick at least two runs."));
        return;
    }
    std::vector<WorkbenchSession::StoredRun> runs;
    for (qint64 id : ids) {
        auto run = m_session.storedRun(id);
        if (!run) {
            clearResults(tr("Run #%1: %2").arg(id).arg(QString::fromStdString(run.error())));
            return;
        }
        runs.push_back(std::move(run.value()));
    }
    const auto notes = cutToCommon(runs);
    if (!notes)
        return clearResults(QString::fromStdString(notes.error()));
    auto compared = compareRuns(runs);
    plotMetricIntervals(m_metrics, compared);
    plotLatencies(m_latency, compared);
    m_model->setRuns(std::move(compared));
    m_note->setText(notes.value() +
                    tr("Intervals: 2000 bootstrap resamples of the questions with text evidence; Δ and p are "
                       "paired against #%1 on the questions both runs evaluated. Coloured Δ: the interval "
                       "excludes 0.")
                        .arg(ids.first()));
    m_export->setEnabled(true);
}

QString CompareView::exportCsv(const QString& path) const {
    const QList<QStringList> rows = m_model->csvRows(); // unrounded, unlike the table
    if (rows.isEmpty())
        return tr("%1: nothing to export; compare two or more runs first").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return tr("%1: cannot write (%2)").arg(path, file.errorString());
    QTextStream out(&file);
    for (const QStringList& row : rows) {
        QStringList fields;
        for (const QString& f : row)
            fields << csvField(f);
        out << fields.join(',') << '\n';
    }
    out.flush();
    return file.error() == QFileDevice::NoError ? QString() : tr("%1: write failed (%2)").arg(path, file.errorString());
}

} // namespace uae::ui

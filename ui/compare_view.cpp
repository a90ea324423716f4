#include "compare_view.h"

#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "uae/comparison.h"
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
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include <set>

namespace uae::ui {

namespace {

const Metric kShown[] = {Metric::Recall1, Metric::Map, Metric::Mrr, Metric::Ndcg10};
const char* const kShownNames[] = {"R@1", "MAP", "MRR", "nDCG@10"};
const QColor kColors[] = {QColor(120, 120, 120), QColor(21, 101, 192), QColor(230, 81, 0), QColor(46, 125, 50),
                          QColor(106, 27, 154), QColor(0, 131, 143)};

QString interval(const MeanInterval& m) {
    return QStringLiteral("%1 [%2, %3]").arg(m.mean, 0, 'f', 4).arg(m.low, 0, 'f', 3).arg(m.high, 0, 'f', 3);
}

QString csvField(QString s) {
    if (s.contains(',') || s.contains('"') || s.contains('\n'))
        s = '"' + s.replace('"', "\"\"") + '"';
    return s;
}

} // namespace

CompareView::CompareView(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_runs(new QListWidget), m_compare(new QPushButton(tr("Compare"))),
      m_export(new QPushButton(tr("Export CSV…"))), m_note(new QLabel), m_table(new QTableWidget),
      m_metrics(new QCustomPlot), m_latency(new QCustomPlot) {
    m_runs->setToolTip(tr("Tick two or more runs. The top ticked run is the baseline the others are tested "
                          "against; double-click a run to make it the baseline."));
    m_note->setWordWrap(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_export->setEnabled(false);
    for (QCustomPlot* p : {m_metrics, m_latency}) {
        p->setMinimumHeight(220);
        enablePlotTools(p);
    }
    m_metrics->setObjectName("compare-metrics");
    m_latency->setObjectName("compare-latency");

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(new QLabel(tr("<b>Evaluation runs</b>")));
    leftLayout->addWidget(m_runs, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_compare);
    buttons->addWidget(m_export);
    leftLayout->addLayout(buttons);

    auto* charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(m_metrics);
    charts->addWidget(m_latency);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    auto* right = new QSplitter(Qt::Vertical);
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addWidget(m_note);
    right->addWidget(top);
    right->addWidget(charts);
    right->setSizes({240, 560});
    installSidebarLayout(this, left, right, 280);

    connect(m_compare, &QPushButton::clicked, this, &CompareView::compare);
    connect(m_runs, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        item->setCheckState(Qt::Checked);
        m_runs->insertItem(0, m_runs->takeItem(m_runs->row(item)));
        compare();
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"), "comparison.csv", tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportCsv(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Export comparison"), error);
    });
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

void CompareView::compare() {
    Store* store = m_session.store();
    const QList<qint64> ids = selectedRuns();
    m_table->clear();
    m_csv.clear();
    m_metrics->clearPlottables();
    m_latency->clearPlottables();
    m_export->setEnabled(false);
    if (!store || ids.size() < 2) {
        m_note->setText(tr("Tick at least two runs."));
        return;
    }
    std::vector<RunInfo> infos;
    std::vector<std::vector<QuestionResult>> results;
    for (qint64 id : ids) {
        auto run = store->run(id);
        auto rows = store->questionResults(id);
        if (!run || !rows) {
            m_note->setText(tr("Run #%1: %2").arg(id).arg(QString::fromStdString(!run ? run.error() : rows.error())));
            return;
        }
        infos.push_back(run.value());
        results.push_back(std::move(rows.value()));
    }
    QStringList headers{tr("run"), tr("method"), tr("questions")};
    QStringList csvHeader{"run", "method", "questions"};
    for (const char* name : kShownNames) {
        headers << tr("%1 [95% CI]").arg(name);
        csvHeader << QString("%1").arg(name) << QString("%1_low").arg(name) << QString("%1_high").arg(name);
    }
    headers << tr("ms/query") << tr("Δ MAP vs #%1 [95% CI]").arg(ids.first()) << tr("p (MAP)") << tr("W/T/L (MAP)")
            << tr("Δ R@1 [95% CI]") << tr("p (R@1)");
    csvHeader << "latency_ms" << "delta_map" << "delta_map_low" << "delta_map_high" << "p_map" << "wins_map"
              << "ties_map" << "losses_map" << "delta_r1" << "delta_r1_low" << "delta_r1_high" << "p_r1";
    m_csv << csvHeader;
    m_table->setColumnCount(static_cast<int>(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(static_cast<int>(infos.size()));

    // Grouped bars: one group per metric, one bar per run, with interval whiskers.
    const double width = 0.8 / static_cast<double>(infos.size());
    QSharedPointer<QCPAxisTickerText> metricTicks(new QCPAxisTickerText);
    for (int m = 0; m < 4; ++m)
        metricTicks->addTick(m, kShownNames[m]);
    QSharedPointer<QCPAxisTickerText> runTicks(new QCPAxisTickerText);
    double worstLatency = 1e-3, bestLatency = 1e9;
    for (size_t r = 0; r < infos.size(); ++r) {
        const int row = static_cast<int>(r);
        const QString label = tr("#%1 %2").arg(infos[r].id).arg(QString::fromStdString(infos[r].method));
        const auto summary = summarize(results[r]);
        QStringList csv{QString::number(infos[r].id), QString::fromStdString(infos[r].method),
                        QString::number(summary.evaluated)};
        m_table->setItem(row, 0, new QTableWidgetItem(QString::number(infos[r].id)));
        m_table->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(infos[r].method)));
        m_table->setItem(row, 2, new QTableWidgetItem(QString::number(summary.evaluated)));
        auto* bars = new QCPBars(m_metrics->xAxis, m_metrics->yAxis);
        auto* whiskers = new QCPErrorBars(m_metrics->xAxis, m_metrics->yAxis);
        bars->setName(label);
        const QColor color = kColors[r % std::size(kColors)];
        bars->setPen(QPen(color.darker(130)));
        bars->setBrush(color);
        bars->setWidth(width);
        whiskers->removeFromLegend();
        whiskers->setDataPlottable(bars);
        for (int m = 0; m < 4; ++m) {
            const auto mi = meanInterval(results[r], kShown[m]);
            m_table->setItem(row, 3 + m, new QTableWidgetItem(interval(mi)));
            csv << QString::number(mi.mean, 'g', 8) << QString::number(mi.low, 'g', 8) << QString::number(mi.high, 'g', 8);
            bars->addData(m - 0.4 + width * (static_cast<double>(r) + 0.5), mi.mean);
            whiskers->addData(mi.mean - mi.low, mi.high - mi.mean);
        }
        m_table->setItem(row, 7, new QTableWidgetItem(QString::number(summary.meanLatencyMs, 'f', 3)));
        csv << QString::number(summary.meanLatencyMs, 'g', 8);
        if (r == 0) {
            m_table->setItem(row, 8, new QTableWidgetItem(tr("baseline")));
            csv << "" << "" << "" << "" << "" << "" << "" << "" << "" << "" << "";
        } else {
            const auto map = comparePaired(results[0], results[r], Metric::Map);
            const auto r1 = comparePaired(results[0], results[r], Metric::Recall1);
            auto diff = [](const PairedDifference& d) {
                return QStringLiteral("%1 [%2, %3]").arg(d.mean, 0, 'f', 4).arg(d.low, 0, 'f', 4).arg(d.high, 0, 'f', 4);
            };
            auto* mapItem = new QTableWidgetItem(diff(map.difference));
            // Intervals clear of zero are coloured: green better, red worse than the baseline.
            if (map.difference.low > 0 || map.difference.high < 0)
                mapItem->setForeground(map.difference.mean > 0 ? QColor(27, 94, 32) : QColor(183, 28, 28));
            m_table->setItem(row, 8, mapItem);
            m_table->setItem(row, 9, new QTableWidgetItem(QString::number(map.difference.p, 'f', 4)));
            m_table->setItem(row, 10, new QTableWidgetItem(QStringLiteral("%1/%2/%3").arg(map.wins).arg(map.ties).arg(map.losses)));
            m_table->setItem(row, 11, new QTableWidgetItem(diff(r1.difference)));
            m_table->setItem(row, 12, new QTableWidgetItem(QString::number(r1.difference.p, 'f', 4)));
            csv << QString::number(map.difference.mean, 'g', 8) << QString::number(map.difference.low, 'g', 8)
                << QString::number(map.difference.high, 'g', 8) << QString::number(map.difference.p, 'g', 6)
                << QString::number(map.wins) << QString::number(map.ties) << QString::number(map.losses);
            csv << QString::number(r1.difference.mean, 'g', 8) << QString::number(r1.difference.low, 'g', 8)
                << QString::number(r1.difference.high, 'g', 8) << QString::number(r1.difference.p, 'g', 6);
        }
        m_csv << csv;
        auto* latency = new QCPBars(m_latency->xAxis, m_latency->yAxis);
        latency->setName(label);
        latency->setPen(QPen(color.darker(130)));
        latency->setBrush(color);
        latency->setWidth(0.6);
        latency->setBaseValue(1e-4); // log axes cannot start bars at 0
        const double ms = std::max(summary.meanLatencyMs, 1e-4);
        latency->addData(static_cast<double>(r), ms);
        worstLatency = std::max(worstLatency, ms);
        bestLatency = std::min(bestLatency, ms);
        runTicks->addTick(static_cast<double>(r), label);
    }
    m_metrics->xAxis->setTicker(metricTicks);
    m_metrics->xAxis->setRange(-0.6, 3.6);
    m_metrics->yAxis->setRange(0, 1);
    m_metrics->yAxis->setLabel(tr("mean (95% CI)"));
    m_metrics->legend->setVisible(true);
    m_metrics->legend->setFont(QFont(font().family(), 8));
    m_latency->xAxis->setTicker(runTicks);
    m_latency->xAxis->setRange(-0.6, static_cast<double>(infos.size()) - 0.4);
    m_latency->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_latency->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_latency->yAxis->setRange(bestLatency / 3, worstLatency * 3);
    m_latency->yAxis->setLabel(tr("ms per query (log)"));
    m_metrics->replot();
    m_latency->replot();
    m_note->setText(tr("Intervals: 2000 bootstrap resamples of the questions with text evidence; Δ and p are paired "
                       "against #%1 on the questions both runs evaluated. Coloured Δ: the interval excludes 0.")
                        .arg(ids.first()));
    m_export->setEnabled(true);
}

QString CompareView::exportCsv(const QString& path) const {
    if (m_csv.isEmpty())
        return tr("%1: nothing to export; compare two or more runs first").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return tr("%1: cannot write (%2)").arg(path, file.errorString());
    QTextStream out(&file);
    for (const QStringList& row : m_csv) {
        QStringList fields;
        for (const QString& f : row)
            fields << csvField(f);
        out << fields.join(',') << '\n';
    }
    out.flush();
    return file.error() == QFileDevice::NoError ? QString() : tr("%1: write failed (%2)").arg(path, file.errorString());
}

} // namespace uae::ui

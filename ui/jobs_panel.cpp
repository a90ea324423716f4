#include "jobs_panel.h"

#include "job_runner.h"

#include <QDateTime>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace uae::ui {

namespace {

QString duration(qint64 ms) {
    const qint64 s = (ms + 500) / 1000;
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
           : s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : QStringLiteral("%1 s").arg(s);
}

} // namespace

JobsPanel::JobsPanel(JobRunner& runner, QWidget* parent)
    : QWidget(parent), m_runner(runner), m_jobs(new QTreeWidget), m_log(new QPlainTextEdit) {
    m_jobs->setColumnCount(5);
    m_jobs->setHeaderLabels({tr("Job"), tr("Progress"), tr("ETA"), tr("State"), QString()});
    m_jobs->setRootIsDecorated(false);
    m_jobs->header()->setStretchLastSection(false);
    m_jobs->setColumnWidth(TitleColumn, 320);
    m_jobs->setColumnWidth(ProgressColumn, 160);
    m_jobs->setColumnWidth(EtaColumn, 80);
    m_jobs->setColumnWidth(StateColumn, 260);
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Errors of failed jobs and warnings appear here."));
    m_log->setMaximumBlockCount(2000);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_jobs);
    split->addWidget(m_log);
    split->setSizes({160, 60});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);
    connect(&m_runner, &JobRunner::started, this, &JobsPanel::onStarted);
    connect(&m_runner, &JobRunner::progress, this, &JobsPanel::onProgress);
    connect(&m_runner, &JobRunner::finished, this, &JobsPanel::onFinished);
    connect(&m_runner, &JobRunner::warning, this, &JobsPanel::onWarning);
}

void JobsPanel::onStarted(int id, const QString& title) {
    auto* item = new QTreeWidgetItem(m_jobs, {title, QString(), QString(), tr("queued")});
    m_items.insert(id, item);
    auto* bar = new QProgressBar;
    bar->setRange(0, 0);
    m_jobs->setItemWidget(item, ProgressColumn, bar);
    auto* cancel = new QPushButton(tr("Cancel"));
    connect(cancel, &QPushButton::clicked, this, [this, id, cancel] {
        m_runner.cancel(id);
        cancel->setEnabled(false);
    });
    m_jobs->setItemWidget(item, CancelColumn, cancel);
    m_jobs->scrollToItem(item);
}

void JobsPanel::onProgress(int id, qint64 done, qint64 total, const QString& message) {
    QTreeWidgetItem* item = m_items.value(id);
    if (!item)
        return;
    if (!m_clocks.contains(id))
        m_clocks[id].start(); // the first progress report: the job is running
    if (auto* bar = qobject_cast<QProgressBar*>(m_jobs->itemWidget(item, ProgressColumn))) {
        bar->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
        bar->setValue(static_cast<int>(done));
    }
    const qint64 elapsed = m_clocks[id].elapsed();
    if (done > 0 && total > done)
        item->setText(EtaColumn, duration(elapsed * (total - done) / done));
    item->setText(StateColumn, message.isEmpty() ? tr("running") : message);
    item->setToolTip(StateColumn, message);
}

void JobsPanel::onFinished(int id, RunStatus status, const QString& error) {
    QTreeWidgetItem* item = m_items.take(id);
    if (!item)
        return;
    const qint64 elapsed = m_clocks.contains(id) ? m_clocks.take(id).elapsed() : 0;
    if (auto* bar = qobject_cast<QProgressBar*>(m_jobs->itemWidget(item, ProgressColumn))) {
        bar->setRange(0, 1);
        bar->setValue(status == RunStatus::Finished ? 1 : 0);
    }
    m_jobs->removeItemWidget(item, CancelColumn);
    item->setText(EtaColumn, duration(elapsed));
    item->setText(StateColumn, QString::fromUtf8(toString(status)));
    item->setToolTip(StateColumn, error);
    if (status == RunStatus::Failed)
        m_log->appendPlainText(
            QStringLiteral("%1  %2 failed: %3")
                .arg(QDateTime::currentDateTime().toString(Qt::ISODate), item->text(TitleColumn), error));
}

void JobsPanel::onWarning(int id, const QString& message) {
    QTreeWidgetItem* item = m_items.value(id);
    const QString title = item ? item->text(TitleColumn) : tr("job %1").arg(id);
    if (item)
        item->setIcon(TitleColumn, style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_log->appendPlainText(
        QStringLiteral("%1  %2 warning: %3").arg(QDateTime::currentDateTime().toString(Qt::ISODate), title, message));
}

} // namespace uae::ui

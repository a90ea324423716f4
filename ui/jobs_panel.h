#pragma once
// The jobs dock: every background job of this session with its progress, ETA and state, a Cancel
// button per running job, and a log of failures with their messages.
#include "uae/run_types.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace uae::ui {

class JobRunner;

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(JobRunner& runner, QWidget* parent = nullptr);
    QTreeWidget* jobs() const { return m_jobs; }
    QPlainTextEdit* log() const { return m_log; }

private:
    enum Column { TitleColumn, ProgressColumn, EtaColumn, StateColumn, CancelColumn };
    void onStarted(int id, const QString& title);
    void onProgress(int id, qint64 done, qint64 total, const QString& message);
    void onFinished(int id, uae::RunStatus status, const QString& error);
    void onWarning(int id, const QString& message);

    JobRunner& m_runner;
    QTreeWidget* m_jobs;
    QPlainTextEdit* m_log;
    QHash<int, QTreeWidgetItem*> m_items;
    QHash<int, QElapsedTimer> m_clocks;
};

} // namespace uae::ui

#pragma once
// The training dashboard: start a UAE training run (loss variant, epochs, learning rate,
// temperatures), watch its loss, learning rate, KL to the teacher and held-out Recall@1 / MAP
// arrive live, and overlay any stored training runs of the workspace.
#include "uae/job_train.h"

#include <QColor>
#include <QHash>
#include <QWidget>

class QCPGraph;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTimer;

namespace uae::ui {

class JobRunner;
class WorkbenchSession;

class TrainingDashboard : public QWidget {
    Q_OBJECT
public:
    enum PlotId { LossPlot, LrPlot, KlPlot, EvalPlot, PlotCount };

    TrainingDashboard(WorkbenchSession& session, JobRunner& runner, QWidget* parent = nullptr);

    // Re-reads the workspace's training runs (after opening another workspace, say).
    void reloadRuns();
    // Shows or hides one stored run's curves.
    void setRunShown(qint64 runId, bool shown);
    QCustomPlot* plot(PlotId id) const { return m_plots[id]; }
    QPushButton* trainButton() const { return m_train; }
    QListWidget* runList() const { return m_runs; }
    // Points drawn for a run so far (stored and live).
    int pointCount(qint64 runId) const;
    void setEpochs(int epochs);
    void setTrainSplit(const QString& split);
    // "glove" (projections over GloVe) or "bert" (the session's BERT model, fine-tuned whole).
    void setEncoder(const QString& encoder);
    // The config the Train button starts: the encoder's core preset with the fields shown.
    TrainConfig config() const;

private:
    struct Curves {
        QColor color;
        QHash<QString, QCPGraph*> graphs; // metric name -> graph
    };
    void setUpFields();
    QWidget* makeSidebar();
    QWidget* makePlots();
    void connectControls();
    void connectSession();
    void addPoint(qint64 runId, qint64 step, const QString& name, double value);
    QCPGraph* graphFor(qint64 runId, const QString& metric);
    void startTraining();
    EncoderKind encoderKind() const;
    void showPreset(const TrainConfig& preset);
    static void setRange(QSpinBox* box, const FieldSpec& spec);
    static void setRange(QDoubleSpinBox* box, const FieldSpec& spec, double step);

    WorkbenchSession& m_session;
    JobRunner& m_runner;
    QComboBox* m_loss;
    QComboBox* m_trainSplit;
    QComboBox* m_encoder;
    QSpinBox* m_epochs;
    QDoubleSpinBox* m_lr;
    QDoubleSpinBox* m_tauS;
    QDoubleSpinBox* m_tauT;
    QPushButton* m_train;
    QPushButton* m_cancel;
    QLabel* m_status;
    QListWidget* m_runs;
    QCustomPlot* m_plots[PlotCount];
    QHash<qint64, Curves> m_curves;
    QTimer* m_replot;
};

} // namespace uae::ui

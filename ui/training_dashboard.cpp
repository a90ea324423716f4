#include "training_dashboard.h"
#include "palette.h"

#include "job_runner.h"
#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "sidebar_layout.h"
#include "workbench_session.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace uae::ui {

namespace {

// Okabe–Ito (ui/palette.h), distinguishable with colour-blindness.
const QColor kPalette[] = {palette::kBlue,   palette::kVermillion, palette::kBluishGreen, palette::kReddishPurple,
                           palette::kOrange, palette::kSkyBlue,    palette::kBlack,       QColor(120, 120, 120)};

int plotOf(const QString& metric) {
    if (metric == "loss")
        return TrainingDashboard::LossPlot;
    if (metric == "lr")
        return TrainingDashboard::LrPlot;
    if (metric == "kl_teacher")
        return TrainingDashboard::KlPlot;
    if (metric == "eval_recall@1" || metric == "eval_map")
        return TrainingDashboard::EvalPlot;
    return -1;
}

QCustomPlot* makePlot(const QString& title, const QString& yLabel) {
    auto* p = new QCustomPlot;
    p->setObjectName(title);
    p->plotLayout()->insertRow(0);
    p->plotLayout()->addElement(0, 0, new QCPTextElement(p, title, QFont(p->font().family(), 10, QFont::Bold)));
    p->xAxis->setLabel(QObject::tr("optimizer step"));
    p->yAxis->setLabel(yLabel);
    p->legend->setVisible(true);
    p->legend->setFont(QFont(p->font().family(), 8));
    p->setMinimumHeight(180);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enablePlotTools(p);
    return p;
}

} // namespace

TrainingDashboard::TrainingDashboard(WorkbenchSession& session, JobRunner& runner, QWidget* parent)
    : QWidget(parent), m_session(session), m_runner(runner), m_loss(new QComboBox), m_trainSplit(new QComboBox),
      m_encoder(new QComboBox), m_epochs(new QSpinBox), m_lr(new QDoubleSpinBox), m_tauS(new QDoubleSpinBox),
      m_tauT(new QDoubleSpinBox), m_train(new QPushButton(tr("Train UAE"))), m_cancel(new QPushButton(tr("Cancel"))),
      m_status(new QLabel), m_runs(new QListWidget), m_replot(new QTimer(this)) {
    setUpFields();
    QWidget* sidebar = makeSidebar();
    QWidget* plots = makePlots();
    installSidebarLayout(this, sidebar, plots, 300);
    connectControls();
    connectSession();
}

// The settings' items, ranges and tooltips, filled with the GloVe preset.
void TrainingDashboard::setUpFields() {
    m_loss->addItems({"soft", "masked", "hybrid", "gold"});
    m_loss->setToolTip(tr("soft: -Σ p_T log softmax(s); masked: candidates the teacher ranks higher leave the "
                          "denominator; hybrid: InfoNCE on gold + λ KL(p_T‖p_S); gold: the ablation without utility"));
    m_encoder->addItem(tr("GloVe + projections"), "glove");
    if (!m_session.settings().bertModel.isEmpty())
        m_encoder->addItem(tr("BERT: %1").arg(m_session.settings().bertModel), "bert");
    m_encoder->setToolTip(tr("BERT needs a model folder (uae-workbench --bert DIR or $UAE_BERT_MODEL); it trains "
                             "every weight and is for GPU machines"));
    // Every default and range comes from core's TrainConfig (its presets and field table), as the
    // CLI's do: the same settings make the same stored config in both front ends.
    connect(m_encoder, &QComboBox::currentIndexChanged, this,
            [this] { showPreset(TrainConfig::preset(encoderKind(), m_session.settings().bertModel.toStdString())); });
    m_trainSplit->setEditable(true);
    m_trainSplit->addItems({"train", "dev"});
    setRange(m_epochs, TrainConfig::spec("epochs"));
    m_lr->setDecimals(5);
    setRange(m_lr, TrainConfig::spec("lr"), 1e-6);
    m_lr->setSingleStep(1e-3);
    m_tauS->setDecimals(3);
    setRange(m_tauS, TrainConfig::spec("tau_s"), 0.001);
    m_tauS->setSingleStep(0.005);
    m_tauT->setDecimals(3);
    setRange(m_tauT, TrainConfig::spec("tau_t"), 0.001);
    m_tauT->setSingleStep(0.01);
    showPreset(TrainConfig::forEncoder(EncoderKind::Glove));
    m_cancel->setEnabled(false);
    m_status->setWordWrap(true);
    m_runs->setToolTip(tr("Tick runs to overlay their curves"));
}

// The settings form, Train / Cancel, a note on the defaults, the status line and the run list.
QWidget* TrainingDashboard::makeSidebar() {
    auto* form = new QFormLayout;
    form->addRow(tr("Encoder"), m_encoder);
    form->addRow(tr("Train on"), m_trainSplit);
    form->addRow(tr("Loss"), m_loss);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Peak learning rate"), m_lr);
    form->addRow(tr("τ student"), m_tauS);
    form->addRow(tr("τ teacher"), m_tauT);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_train);
    buttons->addWidget(m_cancel);
    auto* note = new QLabel(tr("Trains on Dirichlet utility labels (the split is labelled first when it has none) and "
                               "evaluates on the split shown after each epoch. "
                               "The paper does not publish its exact hyperparameters: these defaults are the "
                               "workbench's own."));
    note->setWordWrap(true);
    note->setStyleSheet("color: #555");
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addLayout(form);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(note);
    leftLayout->addWidget(m_status);
    leftLayout->addWidget(new QLabel(tr("<b>Training runs</b>")));
    leftLayout->addWidget(m_runs, 1);
    return left;
}

// The four live plots, two by two.
QWidget* TrainingDashboard::makePlots() {
    m_plots[LossPlot] = makePlot(tr("Loss"), tr("UM-InfoNCE"));
    m_plots[LrPlot] = makePlot(tr("Learning rate"), tr("lr"));
    m_plots[KlPlot] = makePlot(tr("KL(teacher ‖ student)"), tr("nats"));
    m_plots[EvalPlot] = makePlot(tr("Held-out Recall@1 (solid) and MAP (dashed)"), tr("metric"));
    auto* grid = new QWidget;
    auto* gridLayout = new QGridLayout(grid);
    for (int i = 0; i < PlotCount; ++i)
        gridLayout->addWidget(m_plots[i], i / 2, i % 2);
    return grid;
}

// The replot timer, Train / Cancel and the run list's ticks.
void TrainingDashboard::connectControls() {
    // Live points arrive in bursts: redraw at most every 150 ms.
    m_replot->setSingleShot(true);
    m_replot->setInterval(150);
    connect(m_replot, &QTimer::timeout, this, [this] {
        for (auto* p : m_plots) {
            p->rescaleAxes();
            p->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    connect(m_train, &QPushButton::clicked, this, &TrainingDashboard::startTraining);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_runner.cancel(m_session.trainingJob()); });
    connect(m_runs, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        setRunShown(item->data(Qt::UserRole).toLongLong(), item->checkState() == Qt::Checked);
    });
}

// The session's training job: its run is ticked and drawn live, the buttons follow the job.
void TrainingDashboard::connectSession() {
    connect(&m_session, &WorkbenchSession::trainingStarted, this, [this](qint64 runId) {
        m_status->setText(tr("Run #%1 is training…").arg(runId));
        // Every point of this run arrives live: ticking it must not load them from the store too.
        if (!m_curves.contains(runId))
            m_curves.insert(runId, Curves{kPalette[m_curves.size() % std::size(kPalette)], {}});
        reloadRuns();
        for (int i = 0; i < m_runs->count(); ++i)
            if (m_runs->item(i)->data(Qt::UserRole).toLongLong() == runId)
                m_runs->item(i)->setCheckState(Qt::Checked);
    });
    connect(&m_session, &WorkbenchSession::trainingMetric, this, &TrainingDashboard::addPoint);
    connect(&m_session, &WorkbenchSession::trainingFinished, this, [this](qint64 runId, RunStatus ended) {
        const QString status = QString::fromUtf8(toString(ended));
        m_train->setEnabled(true);
        m_cancel->setEnabled(false);
        m_status->setText(runId ? tr("Run #%1 %2.").arg(runId).arg(status) : tr("Training %1.").arg(status));
        reloadRuns();
    });
}

void TrainingDashboard::setRange(QSpinBox* box, const FieldSpec& spec) {
    box->setRange(static_cast<int>(spec.min), static_cast<int>(std::min(spec.max, 1e6)));
    box->setToolTip(QString::fromStdString(spec.help + " (" + spec.allowed() + ")"));
}

void TrainingDashboard::setRange(QDoubleSpinBox* box, const FieldSpec& spec, double step) {
    // An exclusive lower bound becomes the smallest step above it.
    box->setRange(spec.minExclusive ? spec.min + step : spec.min, std::min(spec.max, 1e6));
    box->setToolTip(QString::fromStdString(spec.help + " (" + spec.allowed() + ")"));
}

void TrainingDashboard::setEpochs(int epochs) {
    m_epochs->setValue(epochs);
}
void TrainingDashboard::setTrainSplit(const QString& split) {
    m_trainSplit->setCurrentText(split);
}
void TrainingDashboard::setEncoder(const QString& encoder) {
    m_encoder->setCurrentIndex(std::max(0, m_encoder->findData(encoder)));
}

EncoderKind TrainingDashboard::encoderKind() const {
    return parseEncoder(m_encoder->currentData().toString().toStdString()).value_or(EncoderKind::Glove);
}

void TrainingDashboard::showPreset(const TrainConfig& c) {
    m_loss->setCurrentText(QString::fromUtf8(uaeLossName(c.loss.variant)));
    m_epochs->setValue(c.epochs);
    m_lr->setValue(c.lr);
    m_tauS->setValue(c.loss.tauS);
    m_tauT->setValue(c.loss.tauT);
}

TrainConfig TrainingDashboard::config() const {
    TrainConfig c = TrainConfig::preset(encoderKind(), m_session.settings().bertModel.toStdString());
    parseUaeLoss(m_loss->currentText().toStdString(), c.loss.variant);
    c.epochs = m_epochs->value();
    c.lr = m_lr->value();
    c.loss.tauS = m_tauS->value();
    c.loss.tauT = m_tauT->value();
    c.split = m_trainSplit->currentText().toStdString();
    // Evaluated on the split shown, unless that is the one trained on.
    const std::string shown = m_session.settings().split.toStdString();
    c.evalSplit = shown == c.split && c.split == TrainConfig{}.split ? TrainConfig{}.evalSplit : shown;
    return c;
}

void TrainingDashboard::startTraining() {
    const TrainConfig c = config();
    if (!m_session.startTraining(c)) {
        m_status->setText(tr("Open a workspace first."));
        return;
    }
    m_train->setEnabled(false);
    m_cancel->setEnabled(true);
    m_status->setText(tr("Preparing (loading splits, labels)…"));
}

void TrainingDashboard::reloadRuns() {
    if (!m_session.hasWorkspace())
        return;
    const auto runs = m_session.allRuns();
    const QSignalBlocker quiet(m_runs);
    QHash<qint64, bool> shown;
    for (int i = 0; i < m_runs->count(); ++i)
        shown.insert(m_runs->item(i)->data(Qt::UserRole).toLongLong(), m_runs->item(i)->checkState() == Qt::Checked);
    m_runs->clear();
    for (const auto& r : runs) {
        if (r.kind != RunKind::Train)
            continue;
        const auto stored = TrainConfig::fromJson(r.configJson);
        const QString loss = stored ? QString::fromUtf8(uaeLossName(stored->loss.variant)) : QStringLiteral("?");
        auto* item = new QListWidgetItem(
            tr("#%1  %2  %3 loss  %4")
                .arg(r.id)
                .arg(QString::fromStdString(r.method), loss, QString::fromUtf8(toString(r.status))));
        item->setData(Qt::UserRole, static_cast<qlonglong>(r.id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(shown.value(r.id, false) ? Qt::Checked : Qt::Unchecked);
        m_runs->addItem(item);
    }
    // Nothing shown yet: show the newest run.
    if (m_curves.isEmpty() && m_runs->count() > 0) {
        QListWidgetItem* newest = m_runs->item(m_runs->count() - 1);
        newest->setCheckState(Qt::Checked);
        setRunShown(newest->data(Qt::UserRole).toLongLong(), true);
    }
}

QCPGraph* TrainingDashboard::graphFor(qint64 runId, const QString& metric) {
    const int which = plotOf(metric);
    if (which < 0)
        return nullptr;
    auto it = m_curves.find(runId);
    if (it == m_curves.end())
        it = m_curves.insert(runId, Curves{kPalette[m_curves.size() % std::size(kPalette)], {}});
    if (QCPGraph* g = it->graphs.value(metric))
        return g;
    QCustomPlot* p = m_plots[which];
    QCPGraph* g = p->addGraph();
    QPen pen(it->color, 1.6);
    if (metric == "eval_map")
        pen.setStyle(Qt::DashLine);
    g->setPen(pen);
    if (which == EvalPlot)
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    g->setName(tr("run #%1%2").arg(runId).arg(metric == "eval_map" ? " MAP" : metric == "eval_recall@1" ? " R@1" : ""));
    it->graphs.insert(metric, g);
    return g;
}

void TrainingDashboard::addPoint(qint64 runId, qint64 step, const QString& name, double value) {
    if (name == "examples_per_s" && m_session.trainingJob())
        m_status->setText(tr("Run #%1 · step %2 · %3 questions/s").arg(runId).arg(step).arg(value, 0, 'f', 1));
    if (QCPGraph* g = graphFor(runId, name)) {
        g->addData(static_cast<double>(step), value);
        if (!m_replot->isActive())
            m_replot->start();
    }
}

void TrainingDashboard::setRunShown(qint64 runId, bool shown) {
    if (!shown) {
        if (auto it = m_curves.find(runId); it != m_curves.end()) {
            for (QCPGraph* g : it->graphs)
                g->parentPlot()->removeGraph(g);
            m_curves.erase(it);
        }
        m_replot->start();
        return;
    }
    if (m_curves.contains(runId) || !m_session.hasWorkspace())
        return;
    for (const auto& p : m_session.runMetrics(runId))
        addPoint(runId, p.step, QString::fromStdString(p.name), p.value);
    m_replot->start();
}

int TrainingDashboard::pointCount(qint64 runId) const {
    int n = 0;
    if (auto it = m_curves.find(runId); it != m_curves.end())
        for (const QCPGraph* g : it->graphs)
            n += g->dataCount();
    return n;
}

} // namespace uae::ui

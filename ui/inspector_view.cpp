#include "inspector_view.h"

#include "gold_journey_strip.h"
#include "inspector_plots.h"
#include "palette.h"
#include "paragraph_pane.h"
#include "plots/run_plot.h"
#include "question_pane.h"
#include "rank_grid_model.h"
#include "rank_grid_view.h"
#include "question_view.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "teacher_diagnostics_panel.h"
#include "workbench_session.h"

#include <QAbstractItemView>
#include <QTreeView>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace uae::ui {

namespace {

// Panels are lettered A, B, C, D; the plots draw each in its panel's colour.
QString panelLetter(qsizetype i) {
    return QString(QChar(static_cast<char16_t>('A' + i)));
}

// Okabe–Ito, distinguishable with colour-blindness (ui/palette.h).
QColor panelColor(qsizetype i) {
    return palette::method(i);
}

// A panel's plotted scores, gold flags and teacher utilities, read back from its ranking model.
ScoreSeries panelSeries(const RankingPanel* panel, qsizetype i, const MethodResults& run) {
    const QString method = QString::fromStdString(run.run.method);
    const QString label =
        panel->method().startsWith("run:") ? QStringLiteral("#%1 %2").arg(run.run.id).arg(method) : method;
    ScoreSeries s;
    s.name = QStringLiteral("%1: %2").arg(panelLetter(i), label);
    s.color = panelColor(i);
    s.cosine = method != "bm25";
    const RankingModel* model = panel->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex idx = model->index(row, RankingModel::ScoreColumn);
        s.scores << idx.data(RankingModel::ScoreRole).toDouble();
        s.gold << idx.data(RankingModel::IsGoldRole).toBool();
        const QVariant u = idx.data(RankingModel::UtilityRole);
        s.utilities << (u.isNull() ? std::nan("") : u.toDouble());
    }
    return s;
}

} // namespace

InspectorView::InspectorView(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_questions(new QuestionPane(session)), m_question(new QTextBrowser),
      m_sideBySide(new QSplitter(Qt::Horizontal)), m_journey(new GoldJourneyStrip), m_detailToggle(nullptr),
      m_grid(new RankGridView), m_paragraph(new ParagraphPane), m_plots(new InspectorPlots) {
    const QStringList methods = m_session.methods();
    m_panels << new RankingPanel(tr("A"), methods, methods.value(0))
             << new RankingPanel(tr("B"), methods, methods.value(1));
    m_sideBySide->addWidget(m_panels[0]);
    m_sideBySide->addWidget(m_panels[1]);
    m_questions->setComparedMethods(m_panels[0]->method(), m_panels[1]->method());
    buildLayout();
    createPresentationKeys();
    createNavigationKeys();
    connect(m_plots, &InspectorPlots::wholeRunShown, this, &InspectorView::showRunPlots);
    connect(m_questions, &QuestionPane::currentQuestionChanged, this, &InspectorView::showCurrentQuestion);
    connect(m_questions, &QuestionPane::statusMessage, this, &InspectorView::statusMessage);
    connect(&m_session, &WorkbenchSession::answersStored, this, [this] {
        refreshPanels(); // the run line carries the mean Token F1
        showCurrentQuestion();
    });
    connect(&m_session, &WorkbenchSession::poolChanged, this, [this] {
        reloadMethods(); // the stored runs offered are the new pool's
        showDataset();
    });
    connect(&m_session, &WorkbenchSession::runStored, this, [this] {
        for (RankingPanel* p : m_panels) // the new run joins the choices; what is shown stays
            p->setMethods(m_session.methods(), m_session.storedRuns(), p->method(), false);
        refresh();
    });
    for (RankingPanel* panel : m_panels)
        connectPanel(panel);
    setDetailMode(false);
}

// Right: the question; the methods' head lines (their tables in detail mode), the gold's journey,
// the rank grid with the paragraph pane; the plots. Sizes fit ten ranks at 1440x900.
void InspectorView::buildLayout() {
    m_right = new QSplitter(Qt::Vertical);
    m_right->setObjectName("inspector-right");
    m_right->addWidget(m_question);
    m_right->addWidget(buildGridArea());
    m_right->addWidget(m_plots);
    m_right->setStretchFactor(1, 4);
    m_right->setStretchFactor(2, 1);
    m_right->setSizes({90, 560, 140});
    m_main = new QSplitter(Qt::Horizontal);
    m_main->setObjectName("inspector-main");
    m_main->addWidget(m_questions);
    m_main->addWidget(m_right);
    m_main->setStretchFactor(1, 3);
    m_main->setSizes({330, 1100});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_main);
}

// Disabled until presentation mode: the keys belong to the list and the tables otherwise.
void InspectorView::createPresentationKeys() {
    const std::pair<QKeySequence, int> keys[] = {
        {Qt::Key_Right, 1}, {Qt::Key_Space, 1}, {Qt::Key_PageDown, 1}, {Qt::Key_Left, -1}, {Qt::Key_PageUp, -1}};
    for (const auto& [key, delta] : keys) {
        auto* shortcut = new QShortcut(key, this);
        shortcut->setEnabled(false);
        connect(shortcut, &QShortcut::activated, m_questions,
                [this, delta = delta] { m_questions->stepQuestion(delta); });
        m_presentationKeys << shortcut;
    }
    auto* leave = new QShortcut(Qt::Key_Escape, this);
    leave->setEnabled(false);
    connect(leave, &QShortcut::activated, this, &InspectorView::leavePresentationRequested);
    m_presentationKeys << leave;
}

QAbstractItemView* InspectorView::questionList() const {
    return m_questions->list();
}

void InspectorView::connectPanel(RankingPanel* panel) {
    connect(panel, &RankingPanel::methodChanged, this,
            [this, panel](const QString& method) { onPanelMethodChanged(panel, method); });
    connect(panel, &RankingPanel::answerRequested, this,
            [this](const QString& method) { m_session.runAnswers(method); });
    connect(panel, &RankingPanel::runRequested, this, [this](const QString& method) {
        m_session.runEvaluation(method);
        refreshPanels();
    });
    connect(panel, &RankingPanel::closeRequested, this,
            [this, panel] { removePanel(static_cast<int>(m_panels.indexOf(panel))); });
}

void InspectorView::onPanelMethodChanged(RankingPanel* panel, const QString& method) {
    refreshPanel(static_cast<int>(m_panels.indexOf(panel)));
    m_questions->setComparedMethods(m_panels[0]->method(), m_panels[1]->method());
    if (m_autoRun)
        ensureRun(method);
    showCurrentQuestion();
    if (m_plots->showsWholeRun()) // not per question: it covers the whole run
        showRunPlots();
}

RankingPanel* InspectorView::addPanel(const QString& method) {
    if (m_panels.size() >= 4)
        return nullptr;
    auto* panel = new RankingPanel(panelLetter(m_panels.size()), {}, {});
    panel->setClosable(true);
    m_panels << panel;
    m_sideBySide->addWidget(panel);
    setDetailMode(m_detail); // the new panel's head in compact form, the heads' height again
    connectPanel(panel);
    panel->setMethods(m_session.methods(), m_session.storedRuns(), method); // emits methodChanged
    return panel;
}

void InspectorView::removePanel(int i) {
    if (i < 2 || i >= m_panels.size())
        return; // A and B stay: the quick filters compare them
    RankingPanel* panel = m_panels.takeAt(i);
    panel->deleteLater();
    for (int k = 2; k < m_panels.size(); ++k)
        m_panels[k]->setTitle(panelLetter(k));
    showCurrentQuestion();
}

void InspectorView::showDataset() {
    m_questions->showDataset();
    for (int i = 0; i < m_panels.size(); ++i) {
        refreshPanel(i);
        if (m_autoRun)
            ensureRun(m_panels[i]->method());
    }
    m_questions->selectFirst();
}

void InspectorView::showMethods(const QString& a, const QString& b) {
    const QStringList methods = m_session.methods();
    const auto runs = m_session.storedRuns();
    auto known = [&](const QString& key) {
        return methods.contains(key) ||
               std::any_of(runs.begin(), runs.end(), [&](const auto& r) { return r.first == key; });
    };
    for (int i = 0; i < m_panels.size(); ++i) {
        const QString wanted = i == 0 ? a : i == 1 ? b : m_panels[i]->method();
        m_panels[i]->setMethods(methods, runs, known(wanted) ? wanted : m_panels[i]->method());
    }
}

void InspectorView::reloadMethods() {
    showMethods(m_panels[0]->method(), m_panels[1]->method());
}

void InspectorView::refresh() {
    m_questions->setComparedMethods(m_panels[0]->method(), m_panels[1]->method()); // gold ranks may have changed
    refreshPanels();
    showCurrentQuestion();
}

bool InspectorView::selectQuestion(const QString& questionId) {
    return m_questions->selectQuestion(questionId);
}

void InspectorView::ensureRun(const QString& method) {
    if (m_session.dataset() && !method.startsWith("run:") && !m_session.results(method) &&
        !m_session.pendingJob(method))
        m_session.runEvaluation(method);
    refreshPanels();
}

void InspectorView::refreshPanels() {
    for (int i = 0; i < m_panels.size(); ++i)
        refreshPanel(i);
}

void InspectorView::refreshPanel(int i) {
    RankingPanel* panel = m_panels[i];
    const QString method = panel->method();
    const bool pending = m_session.pendingJob(method) != 0;
    panel->setRunEnabled(m_session.dataset() != nullptr && !pending && !method.startsWith("run:"));
    if (pending) {
        panel->setStatus(tr("ranking the split…"));
        return;
    }
    const MethodResults* r = m_session.results(method);
    if (!r) {
        panel->setStatus(m_session.dataset() ? tr("no stored run: press Run") : QString());
        if (method.startsWith("run:"))
            panel->setStatus(tr("run not found in this workspace"));
        return;
    }
    QString status = tr("run #%1 · R@1 %2 · MRR %3 · MAP %4 · %5 q")
                         .arg(r->run.id)
                         .arg(r->summary.mean[Metric::Recall1], 0, 'f', 3)
                         .arg(r->summary.mean[Metric::Mrr], 0, 'f', 3)
                         .arg(r->summary.mean[Metric::Map], 0, 'f', 3)
                         .arg(r->summary.evaluated);
    // A corpus run searched through a stored index says so: its rankings are the index's.
    if (const auto config = EvalJobConfig::fromJson(r->run.configJson); config && !config->index.empty())
        status += tr(" · via %1%2")
                      .arg(QString::fromStdString(config->index))
                      .arg(config->nprobe     ? tr(" nprobe %1").arg(config->nprobe)
                           : config->efSearch ? tr(" efSearch %1").arg(config->efSearch)
                                              : QString());
    if (const MethodAnswers* a = m_session.answers(method); a && a->answerSet.run)
        status += tr(" · Token F1 %1 (%2)")
                      .arg(a->answerSet.meanF1, 0, 'f', 3)
                      .arg(QString::fromStdString(a->answerSet.reader));
    panel->setStatus(status);
}

void InspectorView::clearQuestion() {
    m_question->clear();
    for (auto* p : m_panels) {
        p->model()->clear();
        p->setAnswer({});
    }
    m_grid->model()->clear();
    m_journey->clear();
    m_paragraph->clear();
    m_paragraph->hide();
    const UaeLossConfig defaults = TrainConfig{}.loss;
    m_plots->setSeries({}, defaults.tauT, defaults.tauS);
}

void InspectorView::showCurrentQuestion() {
    const auto data = m_session.dataset();
    const Question* q = data ? m_questions->currentQuestion() : nullptr;
    if (!q) {
        clearQuestion();
        return;
    }
    m_question->setHtml(questionHtml(*data, *q));
    const auto n = m_panels.size();
    QVector<const MethodResults*> runs(n, nullptr);
    QVector<const QuestionResult*> results(n, nullptr);
    for (qsizetype i = 0; i < n; ++i) {
        runs[i] = m_session.results(m_panels[i]->method());
        results[i] = MethodResults::find(runs[i], q->id);
    }
    const QHash<int, double> utilities = m_session.utilities(q->id);
    QVector<ScoreSeries> series;
    showGrid(*q, runs, results, utilities);
    for (int i = 0; i < n; ++i) {
        showRanking(i, *q, results, utilities);
        showAnswer(i, *q, results[i] != nullptr);
        if (results[i])
            series << panelSeries(m_panels[i], i, *runs[i]);
    }
    QStringList shown;
    for (auto* p : m_panels)
        shown << p->method();
    const UaeLossConfig loss = m_session.lossFor(shown); // a trained run's own temperatures
    m_plots->setSeries(series, loss.tauT, loss.tauS);
}

void InspectorView::showRanking(int i, const Question& q, const QVector<const QuestionResult*>& results,
                                const QHash<int, double>& utilities) {
    RankingModel::Context context;
    context.utilities = utilities;
    // Rank changes: A against B, every other panel against A.
    if (const QuestionResult* other = results[i == 0 ? 1 : 0])
        for (size_t r = 0; r < other->order.size(); ++r)
            context.referenceRanks.insert(other->order[r], static_cast<int>(r + 1));
    m_panels[i]->model()->setRanking(m_session.dataset(), &q, results[i], context);
}

void InspectorView::showAnswer(int i, const Question& q, bool ranked) {
    const MethodAnswers* answers = m_session.answers(m_panels[i]->method());
    const QString id = QString::fromStdString(q.id);
    if (answers && answers->byQuestion.contains(id)) {
        const AnswerRow answer = answers->byQuestion.value(id);
        const AnswerSet& set = answers->answerSet;
        m_panels[i]->setAnswer(tr("<b>Answer</b> (%1, top %2): “%3” · Token F1 <b>%4</b> · mean %5 over %6 q "
                                  "(answer run #%7)")
                                   .arg(QString::fromStdString(set.reader).toHtmlEscaped())
                                   .arg(set.k)
                                   .arg(QString::fromStdString(answer.answer).toHtmlEscaped())
                                   .arg(answer.f1, 0, 'f', 2)
                                   .arg(set.meanF1, 0, 'f', 3)
                                   .arg(answers->byQuestion.size())
                                   .arg(set.run));
    } else if (answers && answers->answerSet.run) {
        m_panels[i]->setAnswer(tr("<i>Answer run #%1 did not read this question.</i>").arg(answers->answerSet.run));
    } else {
        m_panels[i]->setAnswer(ranked ? tr("<i>No answers for this run yet: press Answer.</i>") : QString());
    }
}

void InspectorView::showRunPlots() {
    const auto data = m_session.dataset();
    if (!data)
        return;
    QVector<RunSeries> runs;
    for (int i = 0; i < m_panels.size(); ++i)
        if (const MethodResults* r = m_session.results(m_panels[i]->method()))
            runs << RunSeries{QStringLiteral("%1: #%2 %3")
                                  .arg(panelLetter(i))
                                  .arg(r->run.id)
                                  .arg(QString::fromStdString(r->run.method)),
                              panelColor(i), r};
    m_plots->runPlot()->setRuns(*data, runs, [this](const std::string& id) { return m_session.utilities(id); });
    QStringList shown;
    for (const RankingPanel* panel : m_panels)
        shown << panel->method();
    m_plots->teacherDiagnostics()->setDiagnostics(m_session.teacherDiagnosticsFor(shown));
}

void InspectorView::setPresenting(bool on) {
    for (auto* panel : m_panels)
        panel->setScale(on ? 1.3 : 1.0);
    m_questions->setVisible(!on);
    for (auto* key : m_presentationKeys)
        key->setEnabled(on);
}

} // namespace uae::ui

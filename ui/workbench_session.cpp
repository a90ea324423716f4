#include "workbench_session.h"

#include "report/report_pdf.h"
#include "uae/dataset_loader.h"
#include "uae/job_index.h"
#include "uae/report.h"

#include "uae/model_registry.h"

#include <QPointer>

namespace uae::ui {

WorkbenchSession::WorkbenchSession(SessionSettings settings, JobRunner& runner, QObject* parent)
    : QObject(parent), m_settings(std::move(settings)), m_runner(runner) {
    connect(&m_runner, &JobRunner::finished, this, &WorkbenchSession::onJobFinished);
    connect(&m_runner, &JobRunner::warning, this, [this](int id, const QString&) {
        if (id != 0 && id == m_importJob) // counted for the import's status line; the Jobs log shows them
            ++m_importWarnings;
    });
}

WorkbenchSession::~WorkbenchSession() = default;

QStringList WorkbenchSession::methods() const {
    QStringList m{"bm25", "glove"};
    if (!uaeModel().isEmpty())
        m << "uae";
    if (!m_settings.bertModel.isEmpty())
        m << "bert";
    // Every real encoder fetched into the user cache (scripts/fetch-models.sh), by name.
    for (const auto& method : fetchedEncoderMethods())
        m << QString::fromStdString(method);
    return m;
}

void WorkbenchSession::updateSettings(const SessionSettings& settings) {
    const QString workspace = m_settings.workspace, split = m_settings.split;
    m_settings = settings;
    m_settings.workspace = workspace;
    m_settings.split = split;
}

std::vector<RunInfo> WorkbenchSession::allRuns() const {
    if (!m_workspace)
        return {};
    auto runs = m_workspace->store().runs();
    return runs ? std::move(runs.value()) : std::vector<RunInfo>();
}

QString WorkbenchSession::exportsDir() const {
    return m_workspace ? QString::fromStdString(m_workspace->exportsDir()) : QStringLiteral(".");
}

std::vector<RunSummary> WorkbenchSession::runSummaries() const {
    if (!m_workspace)
        return {};
    auto runs = m_workspace->runSummaries();
    return runs ? std::move(runs.value()) : std::vector<RunSummary>();
}

QList<QPair<QString, QString>> WorkbenchSession::storedRuns() const {
    QList<QPair<QString, QString>> out;
    const auto runs = allRuns();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        if (it->kind == RunKind::Eval && it->status == RunStatus::Finished &&
            it->split == m_settings.split.toStdString() && isCorpusRun(it->configJson) == isCorpusPool())
            out.append({QStringLiteral("run:%1").arg(it->id),
                        tr("#%1 %2 (%3)")
                            .arg(it->id)
                            .arg(QString::fromStdString(it->method), QString::fromStdString(it->startedAt).left(16))});
    return out;
}

QString WorkbenchSession::uaeModel() const {
    const std::int64_t newest = m_workspace ? m_workspace->latestTrainRun() : 0;
    if (!newest)
        return {};
    auto path = m_workspace->trainedModel(newest);
    return path ? QString::fromStdString(path.value()) : QString();
}

QString WorkbenchSession::openWorkspace(const QString& path) {
    auto ws = Workspace::open(path.toStdString());
    if (!ws)
        return QString::fromStdString(ws.error());
    m_workspace = std::move(ws.value());
    m_settings.workspace = path;
    restoreIndexChoices(); // this workspace's, not the last one's (its indexes are elsewhere)
    m_results.clear();
    m_answers.clear();
    m_utilities.reset();
    return {};
}

int WorkbenchSession::loadDataset(const QString& dataDir, const QString& split) {
    m_settings.dataDir = dataDir;
    m_settings.split = split;
    m_results.clear();
    m_answers.clear();
    m_utilities.reset();
    m_map.reset(); // a map of another split
    m_mapJob = 0;
    m_corpus.reset();
    auto slot = std::make_shared<std::shared_ptr<const Dataset>>();
    auto fingerprint = std::make_shared<std::string>();
    m_loading = slot;
    m_loadingFingerprint = fingerprint;
    const std::string dir = dataDir.toStdString(), name = split.toStdString();
    m_loadJob =
        m_runner.start(tr("Loading split %1").arg(split), [slot, fingerprint, dir, name](const JobContext& ctx) {
            ctx.progress(0, 2, "reading " + dir);
            auto data = ::uae::loadDataset(dir, name); // not the member of the same name
            if (!data)
                return JobOutcome{RunStatus::Failed, QString::fromStdString(data.error()), 0};
            *slot = std::make_shared<const Dataset>(std::move(data.value()));
            // What the Indexes dock compares stored indexes with: hashing every paragraph of a large
            // split takes seconds, so here rather than on the GUI thread.
            ctx.progress(1, 2, "fingerprinting the corpus");
            *fingerprint = splitCorpusFingerprint(**slot);
            ctx.progress(2, 2, "loaded");
            return JobOutcome{};
        });
    return m_loadJob;
}

int WorkbenchSession::runEvaluation(const QString& method) {
    if (!m_dataset || !m_workspace || method.startsWith("run:"))
        return 0; // a stored run is shown as it is
    if (int pending = pendingJob(method))
        return pending;
    EvalJobConfig config = evalConfigFor(method);
    if (isCorpusPool()) { // the stored index chosen for the method, as `uae eval --index` records it
        const IndexChoice choice = m_indexChoice.value(method);
        config.index = choice.factory.toStdString();
        config.nprobe = choice.nprobe;
        config.efSearch = choice.efSearch;
    }
    const std::string workspace = m_settings.workspace.toStdString();
    auto data = m_dataset;
    const int id = m_runner.start(tr("Evaluating %1 on %2").arg(method, m_settings.split),
                                  [config, workspace, data](const JobContext& ctx) {
                                      auto ws = Workspace::open(workspace); // one connection per thread
                                      if (!ws)
                                          return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
                                      const auto r = ws.value()->evaluate(config, ctx, data);
                                      return JobOutcome{r.status, QString::fromStdString(r.error), r.runId};
                                  });
    m_pendingEval.insert(evalKey(method), id);
    return id;
}

EvalJobConfig WorkbenchSession::evalConfigFor(const QString& method) const {
    EvalJobConfig config;
    config.method = method.toStdString();
    config.pool = m_settings.pool.toStdString();
    config.split = m_settings.split.toStdString();
    config.dataPath = m_settings.dataDir.toStdString();
    config.device = m_settings.device.toStdString();
    config.batch = m_settings.batch;
    if (method == "glove")
        config.modelPath = m_settings.gloveDir.toStdString();
    else if (method == "bert")
        config.modelPath = m_settings.bertModel.toStdString();
    return config;
}

void WorkbenchSession::setPool(const QString& pool) {
    if (pool == m_settings.pool)
        return;
    m_settings.pool = pool;
    m_results.clear(); // runs of the other pool
    m_answers.clear();
    makePoolView();
    Q_EMIT poolChanged();
}

void WorkbenchSession::makePoolView() {
    m_corpus.reset();
    m_corpusOffsets.clear();
    if (!m_dataset || !isCorpusPool())
        return;
    m_corpus = std::make_shared<const Dataset>(corpusView(*m_dataset));
    int offset = 0;
    for (const auto& paper : m_dataset->papers) {
        m_corpusOffsets.push_back(offset);
        offset += static_cast<int>(paper.paragraphs.size());
    }
}

QHash<int, double> WorkbenchSession::utilities(const std::string& questionId) {
    if (!m_utilities) {
        m_utilities = std::make_shared<std::unordered_map<std::string, QHash<int, double>>>();
        const std::string split = m_settings.split.toStdString();
        if (m_workspace)
            if (auto rows = m_workspace->store().labels(m_workspace->shownTeacher(split), split))
                for (const auto& r : rows.value())
                    (*m_utilities)[r.question].insert(r.paragraph, r.utility);
    }
    auto it = m_utilities->find(questionId);
    if (it == m_utilities->end())
        return {};
    const Question* q = isCorpusPool() && m_dataset ? m_dataset->findQuestion(questionId) : nullptr;
    if (!q || q->paper < 0 || q->paper >= static_cast<int>(m_corpusOffsets.size()))
        return it->second;
    QHash<int, double> shifted; // labels index the question's paper; the corpus pool starts it later
    for (auto u = it->second.begin(); u != it->second.end(); ++u)
        shifted.insert(u.key() + m_corpusOffsets[static_cast<size_t>(q->paper)], u.value());
    return shifted;
}

const MethodAnswers* WorkbenchSession::answers(const QString& method) {
    if (auto it = m_answers.find(method); it != m_answers.end())
        return &it.value();
    const MethodResults* r = results(method);
    if (!r || !m_workspace)
        return nullptr;
    auto set = m_workspace->store().latestAnswerSet(r->run.id);
    if (!set)
        return nullptr;
    MethodAnswers answers;
    for (auto& a : set->rows)
        answers.byQuestion.insert(QString::fromStdString(a.question), std::move(a));
    set->rows.clear();
    answers.answerSet = std::move(set.value());
    return &m_answers.insert(method, std::move(answers)).value();
}

int WorkbenchSession::runAnswers(const QString& method) {
    const MethodResults* r = results(method);
    if (!r || !m_dataset)
        return 0;
    AnswerJobConfig config;
    config.evalRun = r->run.id;
    const std::string workspace = m_settings.workspace.toStdString();
    auto data = m_dataset;
    const int id = m_runner.start(tr("Answering from %1's top %2 (extractive reader)").arg(method).arg(config.k),
                                  [config, workspace, data](const JobContext& ctx) {
                                      auto ws = Workspace::open(workspace);
                                      if (!ws)
                                          return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
                                      const auto a = ws.value()->answer(config, {}, ctx, data);
                                      return JobOutcome{a.status, QString::fromStdString(a.error), a.runId};
                                  });
    m_answerJobs.insert(id, method);
    return id;
}

int WorkbenchSession::startTraining(TrainConfig config) {
    if (!m_workspace || m_trainJob)
        return m_trainJob;
    if (config.gloveDir.empty())
        config.gloveDir = m_settings.gloveDir.toStdString();
    if (config.device == "auto")
        config.device = m_settings.device.toStdString();
    const std::string workspace = m_settings.workspace.toStdString(), dataDir = m_settings.dataDir.toStdString();
    auto shown = m_dataset; // reused as the eval split when it is the one shown
    QPointer<WorkbenchSession> self(this);
    m_trainJob =
        m_runner.start(tr("Training UAE (%1 loss)").arg(uaeLossName(config.loss.variant)), [=](const JobContext& ctx) {
            auto ws = Workspace::open(workspace);
            if (!ws)
                return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
            qint64 runId = 0;
            const auto r = ws.value()->train(
                config, dataDir, ctx,
                [&](const MetricPoint& p) {
                    if (!runId) {
                        runId = p.run;
                        QMetaObject::invokeMethod(
                            self,
                            [self, runId] {
                                if (self)
                                    Q_EMIT self->trainingStarted(runId);
                            },
                            Qt::QueuedConnection);
                    }
                    const QString name = QString::fromStdString(p.name);
                    QMetaObject::invokeMethod(
                        self,
                        [self, runId, p, name] {
                            if (self)
                                Q_EMIT self->trainingMetric(runId, p.step, name, p.value);
                        },
                        Qt::QueuedConnection);
                },
                shown);
            return JobOutcome{r.status, QString::fromStdString(r.error), r.runId};
        });
    return m_trainJob;
}

void WorkbenchSession::onJobFinished(int id, RunStatus status, const QString& error, qint64 value) {
    if (finishEmbeddingMap(id, status, error) || finishIndexJob(id, status, error) || finishIndexCheck(id, status) ||
        finishImportJob(id, status, error, value))
        return;
    if (m_answerJobs.contains(id)) {
        const QString method = m_answerJobs.take(id);
        m_answers.remove(method);
        if (status == RunStatus::Failed)
            Q_EMIT jobFailed(tr("Answering"), error);
        Q_EMIT answersStored(method);
        return;
    }
    if (id == m_trainJob) {
        m_trainJob = 0;
        m_utilities.reset(); // the job may have labelled a split
        if (status == RunStatus::Failed)
            Q_EMIT jobFailed(tr("Training"), error);
        Q_EMIT trainingFinished(value, status);
        return;
    }
    if (id == m_loadJob) {
        m_loadJob = 0;
        if (status != RunStatus::Finished || !m_loading || !*m_loading) {
            Q_EMIT datasetFailed(error.isEmpty() ? tr("loading was cancelled") : error);
            return;
        }
        m_dataset = *m_loading;
        m_loading.reset();
        m_corpusFingerprint = m_loadingFingerprint ? *m_loadingFingerprint : std::string();
        m_loadingFingerprint.reset();
        makePoolView();
        if (m_workspace) // the workspace remembers which data it has seen (the workspace dock lists them)
            m_workspace->store().upsertDataset(
                m_dataset->format + "-" + m_dataset->name, m_settings.dataDir.toStdString(),
                static_cast<long>(m_dataset->papers.size()), static_cast<long>(m_dataset->questions.size()));
        Q_EMIT datasetLoaded();
        return;
    }
    const QString key = m_pendingEval.key(id);
    if (key.isEmpty())
        return; // not ours, or a stale job of a data set no longer shown
    m_pendingEval.remove(key);
    const QString method = key.endsWith("@corpus") ? key.chopped(7) : key;
    m_results.remove(method);
    m_answers.remove(method); // answers belong to the run they were read from
    if (status == RunStatus::Failed)
        Q_EMIT jobFailed(tr("Evaluating %1").arg(method), error);
    Q_EMIT runStored(method, value);
}

Result<TeacherDiagnostics> WorkbenchSession::teacherDiagnostics(qint64 runId) const {
    if (!m_workspace)
        return fail("no workspace is open");
    return m_workspace->teacherDiagnostics(runId);
}

Result<TeacherDiagnostics> WorkbenchSession::teacherDiagnosticsFor(const QStringList& methods) {
    if (!m_workspace)
        return fail("no workspace is open");
    for (const QString& method : methods)
        if (const MethodResults* r = results(method))
            if (const auto eval = EvalJobConfig::fromJson(r->run.configJson); eval && eval->trainRun)
                return m_workspace->teacherDiagnostics(eval->trainRun);
    const std::string split = m_settings.split.toStdString();
    return m_workspace->labelDiagnostics(m_workspace->shownTeacher(split), split);
}

QString WorkbenchSession::exportReport(qint64 runA, qint64 runB, const QStringList& pinned, const QString& path) {
    if (!m_workspace)
        return tr("no workspace is open");
    ReportRequest request{runA, runB, {}, ReportConfig{}.top, true};
    for (const QString& id : pinned)
        request.pinned.push_back(id.toStdString());
    auto run = m_workspace->store().run(runA);
    // The loaded split gives the questions their text when it is the runs' split.
    const Dataset* data = run && m_dataset && m_dataset->name == run->split ? m_dataset.get() : nullptr;
    auto report = buildComparisonReport(*m_workspace, request, data);
    if (!report)
        return QString::fromStdString(report.error());
    auto written = ui::writeReportPdf(report.value(), path.toStdString());
    return written ? QString() : QString::fromStdString(written.error());
}

UaeLossConfig WorkbenchSession::lossFor(const QStringList& methods) {
    for (const QString& method : methods) {
        const MethodResults* r = results(method);
        if (!r || !m_workspace)
            continue;
        const auto eval = EvalJobConfig::fromJson(r->run.configJson);
        if (!eval || !eval->trainRun)
            continue;
        if (auto train = m_workspace->store().run(eval->trainRun))
            if (auto config = TrainConfig::fromJson(train->configJson))
                return config->loss;
    }
    return TrainConfig{}.loss;
}

const MethodResults* WorkbenchSession::results(const QString& method) {
    if (auto it = m_results.find(method); it != m_results.end())
        return it.value().get();
    if (!m_workspace || !m_dataset)
        return nullptr;
    auto id = method.startsWith("run:")
                  ? Result<std::int64_t>(method.mid(4).toLongLong())
                  : m_workspace->store().latestRun(method.toStdString(), m_settings.split.toStdString(),
                                                   m_settings.pool.toStdString());
    if (!id || id.value() == 0)
        return nullptr;
    auto run = m_workspace->store().run(id.value());
    if (run && isCorpusRun(run->configJson) != isCorpusPool()) { // its indices point into the other pool
        Q_EMIT jobFailed(tr("Showing run %1").arg(id.value()),
                         tr("run %1 ranked %2; switch the pool to '%3' to inspect it")
                             .arg(id.value())
                             .arg(isCorpusPool() ? tr("each question against its paper") : tr("the whole split"),
                                  isCorpusPool() ? "paper" : "corpus"));
        return nullptr;
    }
    auto rows = m_workspace->store().questionResults(id.value());
    if (!run || !rows) {
        Q_EMIT jobFailed(tr("Reading run %1").arg(id.value()),
                         QString::fromStdString(!run ? run.error() : rows.error()));
        return nullptr;
    }
    auto r = std::make_shared<MethodResults>();
    r->run = run.value();
    r->summary = summarize(rows.value());
    for (auto& q : rows.value())
        r->byQuestion.emplace(q.questionId, std::move(q));
    m_results.insert(method, r);
    return r.get();
}

// --- Workspace reads for the widgets (issue #11) ---

std::optional<WorkbenchSession::WorkspaceInfo> WorkbenchSession::workspaceInfo() const {
    if (!m_workspace)
        return std::nullopt;
    WorkspaceInfo info{QString::fromStdString(m_workspace->store().path()), m_workspace->store().schemaVersion(), {}};
    if (auto datasets = m_workspace->store().datasets())
        info.datasets = std::move(datasets.value());
    return info;
}

std::vector<MetricPoint> WorkbenchSession::runMetrics(qint64 runId) const {
    if (!m_workspace)
        return {};
    auto points = m_workspace->store().metrics(runId);
    return points ? std::move(points.value()) : std::vector<MetricPoint>();
}

Result<WorkbenchSession::StoredRun> WorkbenchSession::storedRun(qint64 runId) const {
    if (!m_workspace)
        return fail(tr("no workspace open").toStdString());
    auto run = m_workspace->store().run(runId);
    if (!run)
        return fail(run.error());
    auto rows = m_workspace->store().questionResults(runId);
    if (!rows)
        return fail(rows.error());
    auto answers = m_workspace->store().latestAnswerSet(runId);
    if (!answers)
        return fail(answers.error());
    return StoredRun{std::move(run.value()), std::move(rows.value()), std::move(answers.value())};
}

} // namespace uae::ui

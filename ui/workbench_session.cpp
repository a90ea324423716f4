#include "workbench_session.h"

#include "uae/model_registry.h"

#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/scorer_dirichlet.h"
#include "uae/job_train.h"
#include "uae/retriever.h"

#include <QPointer>

namespace uae::ui {

WorkbenchSession::WorkbenchSession(SessionSettings settings, JobRunner& runner, QObject* parent)
    : QObject(parent), m_settings(std::move(settings)), m_runner(runner) {
    connect(&m_runner, &JobRunner::finished, this, &WorkbenchSession::onJobFinished);
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
    if (!m_store)
        return {};
    auto runs = m_store->runs();
    return runs ? std::move(runs.value()) : std::vector<RunInfo>();
}

QList<QPair<QString, QString>> WorkbenchSession::storedRuns() const {
    QList<QPair<QString, QString>> out;
    const auto runs = allRuns();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        if (it->kind == "eval" && it->status == "finished" && it->split == m_settings.split.toStdString())
            out.append({QStringLiteral("run:%1").arg(it->id),
                        tr("#%1 %2 (%3)").arg(it->id).arg(QString::fromStdString(it->method),
                                                         QString::fromStdString(it->startedAt).left(16))});
    return out;
}

QString WorkbenchSession::uaeModel() const {
    if (!m_store)
        return {};
    std::int64_t newest = 0;
    for (const auto& r : allRuns())
        if (r.kind == "train" && r.status == "finished")
            newest = std::max(newest, r.id);
    if (!newest)
        return {};
    auto path = trainedModelPath(m_store->path(), newest);
    return path ? QString::fromStdString(path.value()) : QString();
}

QString WorkbenchSession::openWorkspace(const QString& path) {
    auto store = Store::open(path.toStdString());
    if (!store)
        return QString::fromStdString(store.error());
    m_store = std::move(store.value());
    m_settings.workspace = path;
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
    auto slot = std::make_shared<std::shared_ptr<const Dataset>>();
    m_loading = slot;
    const std::string dir = dataDir.toStdString(), name = split.toStdString();
    m_loadJob = m_runner.start(tr("Loading QASPER %1").arg(split), [slot, dir, name](const JobContext& ctx) {
        ctx.progress(0, 1, "reading " + dir);
        auto data = loadQasper(dir, name);
        if (!data)
            return JobOutcome{"failed", QString::fromStdString(data.error()), 0};
        *slot = std::make_shared<const Dataset>(std::move(data.value()));
        ctx.progress(1, 1, "loaded");
        return JobOutcome{};
    });
    return m_loadJob;
}

int WorkbenchSession::runEvaluation(const QString& method) {
    if (!m_dataset || !m_store || method.startsWith("run:"))
        return 0; // a stored run is shown as it is
    if (int pending = m_pendingEval.value(method, 0))
        return pending;
    EvalJobConfig config;
    config.method = method.toStdString();
    config.split = m_settings.split.toStdString();
    config.dataPath = m_settings.dataDir.toStdString();
    config.device = m_settings.device.toStdString();
    config.batch = m_settings.batch;
    config.cacheDir = embeddingCacheDir(m_settings.workspace.toStdString());
    if (method == "glove")
        config.modelPath = m_settings.gloveDir.toStdString();
    else if (method == "bert")
        config.modelPath = m_settings.bertModel.toStdString();
    else if (method == "uae")
        config.modelPath = uaeModel().toStdString();
    const std::string workspace = m_settings.workspace.toStdString();
    auto data = m_dataset;
    const int id = m_runner.start(tr("Evaluating %1 on %2").arg(method, m_settings.split),
                                  [config, workspace, data](const JobContext& ctx) {
        auto retriever = makeRetriever(config);
        if (!retriever)
            return JobOutcome{"failed", QString::fromStdString(retriever.error()), 0};
        auto store = Store::open(workspace); // one connection per thread
        if (!store)
            return JobOutcome{"failed", QString::fromStdString(store.error()), 0};
        const auto r = runEvalJob(*store.value(), *data, *retriever.value(), config, ctx);
        return JobOutcome{QString::fromStdString(r.status), QString::fromStdString(r.error), r.runId};
    });
    m_pendingEval.insert(method, id);
    return id;
}

QHash<int, double> WorkbenchSession::utilities(const std::string& questionId) {
    if (!m_utilities) {
        m_utilities = std::make_shared<std::unordered_map<std::string, QHash<int, double>>>();
        ScorerDirichlet scorer;
        if (m_store)
            if (auto rows = m_store->labels(LabelKey{"dirichlet", scorer.promptVersion()}, m_settings.split.toStdString()))
                for (const auto& r : rows.value())
                    (*m_utilities)[r.question].insert(r.paragraph, r.utility);
    }
    auto it = m_utilities->find(questionId);
    return it == m_utilities->end() ? QHash<int, double>() : it->second;
}

const QHash<QString, AnswerRow>* WorkbenchSession::answers(const QString& method) {
    if (auto it = m_answers.find(method); it != m_answers.end())
        return &it.value();
    const MethodResults* r = results(method);
    if (!r || !m_store)
        return nullptr;
    auto rows = m_store->latestAnswers(r->run.id);
    if (!rows)
        return nullptr;
    QHash<QString, AnswerRow> byQuestion;
    for (auto& a : rows.value())
        byQuestion.insert(QString::fromStdString(a.question), a);
    return &m_answers.insert(method, byQuestion).value();
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
        auto reader = makeReader(config);
        if (!reader)
            return JobOutcome{"failed", QString::fromStdString(reader.error()), 0};
        auto store = Store::open(workspace);
        if (!store)
            return JobOutcome{"failed", QString::fromStdString(store.error()), 0};
        const auto a = runAnswerJob(*store.value(), *data, *reader.value(), config, ctx);
        return JobOutcome{QString::fromStdString(a.status), QString::fromStdString(a.error), a.runId};
    });
    m_answerJobs.insert(id, method);
    return id;
}

int WorkbenchSession::startTraining(TrainConfig config) {
    if (!m_store || m_trainJob)
        return m_trainJob;
    if (config.gloveDir.empty())
        config.gloveDir = m_settings.gloveDir.toStdString();
    if (config.device == "auto")
        config.device = m_settings.device.toStdString();
    const std::string workspace = m_settings.workspace.toStdString(), dataDir = m_settings.dataDir.toStdString();
    auto shown = m_dataset; // reused as the eval split when it is the one shown
    QPointer<WorkbenchSession> self(this);
    m_trainJob = m_runner.start(tr("Training UAE (%1 loss)").arg(uaeLossName(config.loss.variant)),
                                [=](const JobContext& ctx) {
        auto store = Store::open(workspace);
        if (!store)
            return JobOutcome{"failed", QString::fromStdString(store.error()), 0};
        auto train = loadQasper(dataDir, config.split);
        if (!train)
            return JobOutcome{"failed", QString::fromStdString(train.error()), 0};
        std::shared_ptr<const Dataset> eval = shown && shown->name == config.evalSplit ? shown : nullptr;
        if (!eval) {
            auto loaded = loadQasper(dataDir, config.evalSplit);
            if (!loaded)
                return JobOutcome{"failed", QString::fromStdString(loaded.error()), 0};
            eval = std::make_shared<const Dataset>(std::move(loaded.value()));
        }
        auto existing = store.value()->labels(LabelKey{config.scorer, config.promptVersion}, config.split);
        if (existing && existing->empty() && config.scorer == "dirichlet") {
            ctx.progress(0, 1, "labelling " + config.split + " with the Dirichlet scorer");
            ScorerDirichlet scorer;
            LabelJobConfig lc;
            lc.split = config.split;
            const auto labelled = runLabelJob(*store.value(), train.value(), scorer, lc, ctx);
            if (labelled.status != "finished")
                return JobOutcome{QString::fromStdString(labelled.status), QString::fromStdString(labelled.error), 0};
        }
        qint64 runId = 0;
        const auto r = runTrainJob(*store.value(), train.value(), *eval, config, ctx, [&](const MetricPoint& p) {
            if (!runId) {
                runId = p.run;
                QMetaObject::invokeMethod(self, [self, runId] { if (self) Q_EMIT self->trainingStarted(runId); }, Qt::QueuedConnection);
            }
            const QString name = QString::fromStdString(p.name);
            QMetaObject::invokeMethod(self, [self, runId, p, name] {
                if (self)
                    Q_EMIT self->trainingMetric(runId, p.step, name, p.value);
            }, Qt::QueuedConnection);
        });
        return JobOutcome{QString::fromStdString(r.status), QString::fromStdString(r.error), r.runId};
    });
    return m_trainJob;
}

void WorkbenchSession::onJobFinished(int id, const QString& status, const QString& error, qint64 value) {
    if (m_answerJobs.contains(id)) {
        const QString method = m_answerJobs.take(id);
        m_answers.remove(method);
        if (status == "failed")
            Q_EMIT jobFailed(tr("Answering"), error);
        Q_EMIT answersStored(method);
        return;
    }
    if (id == m_trainJob) {
        m_trainJob = 0;
        m_utilities.reset(); // the job may have labelled a split
        if (status == "failed")
            Q_EMIT jobFailed(tr("Training"), error);
        Q_EMIT trainingFinished(value, status);
        return;
    }
    if (id == m_loadJob) {
        m_loadJob = 0;
        if (status != "finished" || !m_loading || !*m_loading) {
            Q_EMIT datasetFailed(error.isEmpty() ? tr("loading was cancelled") : error);
            return;
        }
        m_dataset = *m_loading;
        m_loading.reset();
        if (m_store) // the workspace remembers which data it has seen (the workspace dock lists them)
            m_store->upsertDataset("qasper-" + m_dataset->name, m_settings.dataDir.toStdString(),
                                   static_cast<long>(m_dataset->papers.size()), static_cast<long>(m_dataset->questions.size()));
        Q_EMIT datasetLoaded();
        return;
    }
    const QString method = m_pendingEval.key(id);
    if (method.isEmpty())
        return; // not ours, or a stale job of a data set no longer shown
    m_pendingEval.remove(method);
    m_results.remove(method);
    m_answers.remove(method); // answers belong to the run they were read from
    if (status == "failed")
        Q_EMIT jobFailed(tr("Evaluating %1").arg(method), error);
    Q_EMIT runStored(method, value);
}

const MethodResults* WorkbenchSession::results(const QString& method) {
    if (auto it = m_results.find(method); it != m_results.end())
        return it.value().get();
    if (!m_store || !m_dataset)
        return nullptr;
    auto id = method.startsWith("run:") ? Result<std::int64_t>(method.mid(4).toLongLong())
                                        : m_store->latestRun(method.toStdString(), m_settings.split.toStdString());
    if (!id || id.value() == 0)
        return nullptr;
    auto run = m_store->run(id.value());
    auto rows = m_store->questionResults(id.value());
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
    if (!m_store)
        return std::nullopt;
    WorkspaceInfo info{QString::fromStdString(m_store->path()), m_store->schemaVersion(), {}};
    if (auto datasets = m_store->datasets())
        info.datasets = std::move(datasets.value());
    return info;
}

std::vector<MetricPoint> WorkbenchSession::runMetrics(qint64 runId) const {
    if (!m_store)
        return {};
    auto points = m_store->metrics(runId);
    return points ? std::move(points.value()) : std::vector<MetricPoint>();
}

Result<WorkbenchSession::StoredRun> WorkbenchSession::storedRun(qint64 runId) const {
    if (!m_store)
        return fail(tr("no workspace open").toStdString());
    auto run = m_store->run(runId);
    if (!run)
        return fail(run.error());
    auto rows = m_store->questionResults(runId);
    if (!rows)
        return fail(rows.error());
    return StoredRun{std::move(run.value()), std::move(rows.value())};
}

} // namespace uae::ui

// WorkbenchSession: the workspace's stored FAISS indexes: built on a worker thread through the
// job runner (progress, ETA, cancel), listed and deleted, and chosen per method for the corpus
// pool's evaluations, with the same config fields `uae eval --index` records.
#include "workbench_session.h"

#include "uae/vector_index.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSettings>

#include <algorithm>

namespace uae::ui {

namespace {

// The choices of one workspace file (its indexes live beside it), kept between sessions.
QString choiceGroup(const QString& workspace) {
    const QByteArray path = QFileInfo(workspace).absoluteFilePath().toUtf8();
    return QStringLiteral("indexChoice/") + QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex().left(16);
}

} // namespace

void WorkbenchSession::restoreIndexChoices() {
    m_indexChoice.clear();
    QSettings settings;
    const int n = settings.beginReadArray(choiceGroup(m_settings.workspace));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        IndexChoice choice{settings.value("factory").toString(), settings.value("nprobe").toInt(),
                           settings.value("efSearch").toInt()};
        if (!choice.factory.isEmpty())
            m_indexChoice.insert(settings.value("method").toString(), choice);
    }
    settings.endArray();
}

void WorkbenchSession::saveIndexChoices() const {
    QSettings settings;
    settings.remove(choiceGroup(m_settings.workspace));
    settings.beginWriteArray(choiceGroup(m_settings.workspace), static_cast<int>(m_indexChoice.size()));
    int i = 0;
    for (auto it = m_indexChoice.cbegin(); it != m_indexChoice.cend(); ++it, ++i) {
        settings.setArrayIndex(i);
        settings.setValue("method", it.key());
        settings.setValue("factory", it.value().factory);
        settings.setValue("nprobe", it.value().nprobe);
        settings.setValue("efSearch", it.value().efSearch);
    }
    settings.endArray();
}

QStringList WorkbenchSession::denseMethods() const {
    QStringList out;
    for (const QString& method : methods())
        if (const auto id = parseMethod(method.toStdString());
            id && id->method != Method::Bm25 && id->method != Method::LlmRerank)
            out << method;
    return out;
}

IndexBuildConfig WorkbenchSession::indexBuildConfig(const QString& method, const QString& split,
                                                    const QString& factory) const {
    const EvalJobConfig eval = evalConfigFor(method);
    IndexBuildConfig config;
    config.method = eval.method;
    config.split = split.toStdString();
    config.dataPath = eval.dataPath;
    config.modelPath = eval.modelPath;
    config.index = factory.trimmed().toStdString();
    config.device = eval.device;
    config.batch = eval.batch;
    return config;
}

int WorkbenchSession::buildIndex(const IndexBuildConfig& config, std::optional<IndexChoice> useAfter) {
    if (!m_workspace)
        return 0;
    const std::string workspace = m_settings.workspace.toStdString();
    // The split in memory serves the build when it is the one asked for (no second read).
    auto data = m_dataset && m_dataset->name == config.split ? m_dataset : nullptr;
    auto slot = std::make_shared<IndexBuildResult>();
    m_indexSlot = slot;
    m_indexUseAfter = useAfter;
    m_indexMethod = config.method;
    m_indexJob = m_runner.start(tr("Building index %1 of %2 on %3")
                                    .arg(QString::fromStdString(config.index), QString::fromStdString(config.method),
                                         QString::fromStdString(config.split)),
                                [config, workspace, data, slot](const JobContext& ctx) {
                                    auto ws = Workspace::open(workspace); // one connection per thread
                                    if (!ws)
                                        return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
                                    *slot = ws.value()->buildIndex(config, ctx, data);
                                    return JobOutcome{slot->status, QString::fromStdString(slot->error), 0};
                                });
    return m_indexJob;
}

bool WorkbenchSession::finishIndexJob(int id, RunStatus status, const QString& error) {
    if (id == 0 || id != m_indexJob)
        return false;
    m_indexJob = 0;
    const auto result = std::move(m_indexSlot);
    const auto useAfter = std::move(m_indexUseAfter);
    m_indexUseAfter.reset();
    if (status == RunStatus::Failed)
        Q_EMIT jobFailed(tr("Building the index"), error);
    const bool built = status == RunStatus::Finished && result;
    Q_EMIT indexJobFinished(status, built ? QString::fromStdString(result->meta.file) : error);
    if (built && useAfter)
        setIndexChoice(QString::fromStdString(m_indexMethod), *useAfter);
    return true;
}

int WorkbenchSession::checkIndexes() {
    if (m_indexCheckJob != 0)
        m_runner.cancel(m_indexCheckJob); // its findings may predate what made this check necessary
    m_indexCheckJob = 0;
    m_indexStates.clear();
    std::vector<std::pair<IndexBuildConfig, IndexMeta>> work;
    const QStringList dense = denseMethods();
    for (const auto& m : storedIndexes())
        if (m_dataset && m.corpus == m_dataset->name && dense.contains(QString::fromStdString(m.encoder)))
            work.emplace_back(indexBuildConfig(QString::fromStdString(m.encoder), QString::fromStdString(m.corpus),
                                               QString::fromStdString(m.factory)),
                              m);
    if (work.empty() || !m_workspace) {
        Q_EMIT indexStatesChanged();
        return 0;
    }
    const auto announce = qScopeGuard([this] { Q_EMIT indexStatesChanged(); }); // once the job id is set
    const std::string workspace = m_settings.workspace.toStdString();
    auto data = m_dataset;
    auto slot = std::make_shared<std::vector<std::pair<QString, QString>>>();
    m_indexCheckSlot = slot;
    const QString title = work.size() == 1 ? tr("Checking a stored index against its encoder")
                                           : tr("Checking %1 stored indexes against their encoders").arg(work.size());
    m_indexCheckJob = m_runner.start(title, [work, workspace, data, slot](const JobContext& ctx) {
        auto ws = Workspace::open(workspace); // one connection per thread
        if (!ws)
            return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
        for (size_t i = 0; i < work.size() && !ctx.cancelled(); ++i) {
            const auto& [config, meta] = work[i];
            ctx.progress(static_cast<long>(i), static_cast<long>(work.size()), "loading " + config.method);
            const auto why = ws.value()->indexStaleness(config, meta, data);
            slot->emplace_back(QString::fromStdString(meta.file),
                               why ? QString::fromStdString(why.value())
                                   : QStringLiteral("cannot check: ") + QString::fromStdString(why.error()));
        }
        return JobOutcome{ctx.cancelled() ? RunStatus::Cancelled : RunStatus::Finished, QString(), 0};
    });
    return m_indexCheckJob;
}

bool WorkbenchSession::finishIndexCheck(int id, RunStatus status) {
    if (id == 0 || id != m_indexCheckJob)
        return false;
    m_indexCheckJob = 0;
    if (status == RunStatus::Finished && m_indexCheckSlot)
        for (const auto& [file, state] : *m_indexCheckSlot)
            m_indexStates.insert(file, state);
    m_indexCheckSlot.reset();
    Q_EMIT indexStatesChanged();
    return true;
}

std::optional<QString> WorkbenchSession::indexState(const QString& file) const {
    const auto it = m_indexStates.constFind(file);
    return it == m_indexStates.constEnd() ? std::nullopt : std::optional<QString>(it.value());
}

std::vector<IndexMeta> WorkbenchSession::storedIndexes() const {
    return m_workspace ? listIndexes(m_workspace->indexDir()) : std::vector<IndexMeta>{};
}

std::optional<bool> WorkbenchSession::indexCorpusCurrent(const IndexMeta& meta) const {
    if (!m_dataset || m_dataset->name != meta.corpus)
        return std::nullopt;
    if (m_corpusFingerprint.empty()) // the load job computes it; a split set otherwise (tests): here
        m_corpusFingerprint = splitCorpusFingerprint(*m_dataset);
    return m_corpusFingerprint == meta.corpusFingerprint;
}

QString WorkbenchSession::removeIndex(const QString& file) {
    // A build or a corpus evaluation on its way may open (or rebuild and save) the index: deleting
    // it under them would fail that run or be silently undone.
    const auto keys = m_pendingEval.keys();
    if (m_indexJob != 0 ||
        std::any_of(keys.begin(), keys.end(), [](const QString& k) { return k.endsWith("@corpus"); }))
        return tr("an index build or a corpus evaluation is running; wait for it (or cancel it in the Jobs "
                  "panel) and delete then");
    if (!m_workspace)
        return tr("no workspace is open");
    if (auto s = ::uae::removeIndex(m_workspace->indexDir(), file.toStdString()); !s)
        return QString::fromStdString(s.error());
    for (auto it = m_indexChoice.begin(); it != m_indexChoice.end();) {
        const std::string name =
            indexFileName(it.key().toStdString(), m_settings.split.toStdString(), it.value().factory.toStdString());
        if (QFileInfo(file).fileName() == QString::fromStdString(name)) { // not a suffix: bert vs bert_scibert
            const QString method = it.key();
            it = m_indexChoice.erase(it);
            Q_EMIT indexChoiceChanged(method);
        } else {
            ++it;
        }
    }
    saveIndexChoices();
    return {};
}

int WorkbenchSession::searchKnobMax() {
    for (const auto& field : EvalJobConfig::fieldTable())
        if (field.spec.key == "nprobe")
            return static_cast<int>(field.spec.max);
    return 0;
}

void WorkbenchSession::setIndexChoice(const QString& method, const IndexChoice& choice) {
    if (choice.factory.isEmpty())
        m_indexChoice.remove(method);
    else
        m_indexChoice.insert(method, choice);
    saveIndexChoices();
    Q_EMIT indexChoiceChanged(method);
    if (!isCorpusPool() || !m_dataset)
        return;
    // An evaluation already on its way searches the old choice: cancel it and forget its id (its
    // end is then ignored as stale), or runEvaluation would hand back that job and the new choice
    // would have no effect.
    if (const int pending = pendingJob(method)) {
        m_pendingEval.remove(evalKey(method));
        m_runner.cancel(pending);
    }
    runEvaluation(method);
}

} // namespace uae::ui

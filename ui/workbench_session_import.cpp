// WorkbenchSession: an outside system's TREC run imported as an eval run of the loaded split
// (File > Import TREC run…), through the job runner as `uae import-run` runs it: core checks the
// whole file first and stores nothing when it has a problem.
#include "workbench_session.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace uae::ui {

TrecImportConfig WorkbenchSession::trecImportConfig(const QString& file, const QString& pool,
                                                    const QString& name) const {
    TrecImportConfig config;
    config.source = file.toStdString();
    config.split = m_settings.split.toStdString();
    config.dataPath = m_settings.dataDir.toStdString();
    config.pool = pool.toStdString();
    config.name = name.trimmed().toStdString();
    return config;
}

int WorkbenchSession::importTrecRun(const TrecImportConfig& config) {
    if (!m_workspace || m_importJob)
        return 0;
    const std::string workspace = m_settings.workspace.toStdString();
    m_importWarnings = 0;
    m_importWorkspace = m_settings.workspace;
    m_importSource = QFileInfo(QString::fromStdString(config.source)).fileName();
    m_importJob = m_runner.start(
        tr("Importing TREC run %1 (%2 pool, split %3)")
            .arg(m_importSource, QString::fromStdString(config.pool), QString::fromStdString(config.split)),
        [config, workspace](const JobContext& ctx) {
            auto ws = Workspace::open(workspace); // one connection per thread
            if (!ws)
                return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
            // Core reads, checks and stores in one call: a start and an end give the Jobs dock its
            // clock and a line saying what is being read.
            ctx.progress(0, 1, "reading and checking " + config.source);
            const auto r = ws.value()->importTrecRun(config, ctx);
            ctx.progress(1, 1, r.runId ? "stored" : "refused");
            return JobOutcome{r.status, QString::fromStdString(r.error), r.runId};
        });
    return m_importJob;
}

bool WorkbenchSession::finishImportJob(int id, RunStatus status, const QString& error, qint64 runId) {
    if (id == 0 || id != m_importJob)
        return false;
    m_importJob = 0;
    if (m_importWorkspace != m_settings.workspace)
        return true; // stored in the workspace open when it started; that one is no longer shown
    if (status == RunStatus::Failed) {
        Q_EMIT jobFailed(tr("Importing %1").arg(m_importSource), error);
        return true;
    }
    auto run = runId && m_workspace ? m_workspace->store().run(runId) : Result<RunInfo>(fail("no run was stored"));
    if (status != RunStatus::Finished || !run)
        return true; // cancelled before it started: nothing was stored
    // Core records in the run's config how the file met the split; shown as stored.
    const QJsonObject config = QJsonDocument::fromJson(QByteArray::fromStdString(run->configJson)).object();
    ImportedRun imported;
    imported.run = run.value();
    imported.pool = config.value("pool").toString();
    imported.questionsInRun = config.value("questions_in_run").toInt();
    imported.missing = config.value("missing_questions").toInt();
    imported.warnings = m_importWarnings;
    m_lastImport = std::move(imported);
    Q_EMIT runImported(runId);
    return true;
}

} // namespace uae::ui

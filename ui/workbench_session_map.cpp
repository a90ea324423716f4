// WorkbenchSession: the embedding map of the loaded split, computed on a worker thread.
#include "workbench_session.h"

namespace uae::ui {

int WorkbenchSession::computeEmbeddingMap(const QStringList& methods, long limit) {
    if (!m_dataset || !m_workspace || methods.isEmpty())
        return 0;
    EmbeddingMapConfig config;
    config.methods.clear();
    for (const QString& method : methods) {
        config.methods.push_back(method.toStdString());
        config.modelPaths.push_back(method == "glove"  ? m_settings.gloveDir.toStdString()
                                    : method == "bert" ? m_settings.bertModel.toStdString()
                                                       : std::string());
    }
    config.split = m_settings.split.toStdString();
    config.dataPath = m_settings.dataDir.toStdString();
    config.device = m_settings.device.toStdString();
    config.batch = m_settings.batch;
    config.limit = limit;
    const std::string workspace = m_settings.workspace.toStdString();
    auto data = m_dataset;
    auto slot = std::make_shared<std::shared_ptr<const EmbeddingMap>>();
    m_mapSlot = slot;
    m_mapJob =
        m_runner.start(tr("Embedding map of %1 (%2)").arg(m_settings.split, methods.join(QStringLiteral(", "))),
                       [config, workspace, data, slot](const JobContext& ctx) {
                           auto ws = Workspace::open(workspace); // one connection per thread
                           if (!ws)
                               return JobOutcome{RunStatus::Failed, QString::fromStdString(ws.error()), 0};
                           auto map = ws.value()->embeddingMap(config, ctx, data);
                           if (!map)
                               return JobOutcome{map.error() == "cancelled" ? RunStatus::Cancelled : RunStatus::Failed,
                                                 QString::fromStdString(map.error()), 0};
                           *slot = std::make_shared<const EmbeddingMap>(std::move(map.value()));
                           return JobOutcome{};
                       });
    return m_mapJob;
}

bool WorkbenchSession::finishEmbeddingMap(int id, RunStatus status, const QString& error) {
    if (id == 0 || id != m_mapJob)
        return false;
    m_mapJob = 0;
    if (status == RunStatus::Failed)
        Q_EMIT jobFailed(tr("Embedding map"), error);
    if (status != RunStatus::Finished || !m_mapSlot || !*m_mapSlot)
        return true;
    m_map = *m_mapSlot;
    m_mapSlot.reset();
    Q_EMIT embeddingMapReady();
    return true;
}

std::vector<float> WorkbenchSession::mapUtilities() const {
    if (!m_map || !m_dataset || !m_workspace)
        return {};
    const std::string split = m_settings.split.toStdString();
    auto rows = m_workspace->store().labels(m_workspace->shownTeacher(split), split);
    return itemUtilities(*m_map, *m_dataset, rows ? rows.value() : std::vector<LabelRow>{});
}

} // namespace uae::ui

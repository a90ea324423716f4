#include "workspace_panel.h"

#include "workbench_session.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace uae::ui {

WorkspacePanel::WorkspacePanel(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_summary(new QLabel), m_datasets(new QTableWidget) {
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_datasets->setColumnCount(4);
    m_datasets->setHorizontalHeaderLabels({tr("data set"), tr("papers"), tr("questions"), tr("folder")});
    m_datasets->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_datasets->verticalHeader()->setVisible(false);
    m_datasets->horizontalHeader()->setStretchLastSection(true);
    auto* openWorkspace = new QPushButton(tr("Open workspace…"));
    auto* openData = new QPushButton(tr("Open QASPER folder…"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openWorkspace);
    buttons->addWidget(openData);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("<b>Data sets seen by this workspace</b>")));
    layout->addWidget(m_datasets, 1);
    connect(openWorkspace, &QPushButton::clicked, this, &WorkspacePanel::openWorkspaceRequested);
    connect(openData, &QPushButton::clicked, this, &WorkspacePanel::openDataRequested);
}

QString WorkspacePanel::summary() const {
    return m_summary->text();
}

void WorkspacePanel::reload() {
    const auto workspace = m_session.workspaceInfo();
    m_datasets->setRowCount(0);
    if (!workspace) {
        m_summary->setText(tr("No workspace open."));
        return;
    }
    std::map<std::string, int> byKind;
    for (const auto& r : m_session.allRuns())
        ++byKind[toString(r.kind)];
    QStringList counts;
    for (const auto& [kind, n] : byKind)
        counts << tr("%1 %2").arg(n).arg(QString::fromStdString(kind));
    m_summary->setText(tr("<b>Workspace</b> %1<br>%2 KiB · schema v%3 · runs: %4<br>QASPER: %5 (split %6)")
                           .arg(workspace->path.toHtmlEscaped())
                           .arg(QFileInfo(workspace->path).size() / 1024)
                           .arg(workspace->schemaVersion)
                           .arg(counts.isEmpty() ? tr("none") : counts.join(", "))
                           .arg(m_session.settings().dataDir.toHtmlEscaped(), m_session.settings().split));
    m_datasets->setRowCount(static_cast<int>(workspace->datasets.size()));
    int row = 0;
    for (const auto& d : workspace->datasets) {
        m_datasets->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(d.name)));
        m_datasets->setItem(row, 1, new QTableWidgetItem(QString::number(d.papers)));
        m_datasets->setItem(row, 2, new QTableWidgetItem(QString::number(d.questions)));
        m_datasets->setItem(row, 3, new QTableWidgetItem(QString::fromStdString(d.path)));
        ++row;
    }
}

} // namespace uae::ui

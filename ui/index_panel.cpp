#include "index_panel.h"

#include "workbench_session.h"
#include "uae/vector_index.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace uae::ui {

namespace {

QString bytes(qint64 n) {
    return n >= 1'000'000 ? QObject::tr("%1 MB").arg(n / 1e6, 0, 'f', 1) : QObject::tr("%1 KB").arg(n / 1e3, 0, 'f', 1);
}

// Whether the index can serve the loaded split as it is: what the session's last check found
// (encoder and corpus, core's words), else what it can tell without loading the encoder.
QString stateOf(const WorkbenchSession& session, const IndexMeta& m) {
    if (m.formatVersion != kIndexFormatVersion)
        return QObject::tr("stale: format v%1, rebuilt when used").arg(m.formatVersion);
    if (const auto checked = session.indexState(QString::fromStdString(m.file))) {
        if (checked->isEmpty())
            return QObject::tr("current");
        if (checked->startsWith(QLatin1String("cannot check: ")))
            return *checked;
        return QObject::tr("stale: %1, rebuilt when used").arg(checked->section(QLatin1String(" ("), 0, 0));
    }
    const auto current = session.indexCorpusCurrent(m);
    if (!current)
        return QObject::tr("split not loaded");
    if (!*current)
        return QObject::tr("stale: corpus changed, rebuilt when used");
    return session.indexCheckJob() != 0 ? QObject::tr("corpus current; checking the encoder…")
                                        : QObject::tr("corpus current (encoder not checked)");
}

QString knobText(const WorkbenchSession::IndexChoice& c) {
    return c.nprobe > 0     ? QObject::tr(" (nprobe %1)").arg(c.nprobe)
           : c.efSearch > 0 ? QObject::tr(" (efSearch %1)").arg(c.efSearch)
                            : QString();
}

} // namespace

IndexPanel::IndexPanel(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_table(new QTableWidget), m_status(new QLabel), m_knobLabel(new QLabel),
      m_knob(new QSpinBox), m_build(new QPushButton(tr("Build…"))), m_delete(new QPushButton(tr("Delete"))),
      m_use(new QPushButton(tr("Use for corpus evaluation"))), m_exact(new QPushButton(tr("Exact search"))) {
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("index"), tr("method"), tr("split"), tr("vectors"), tr("on disk"),
                                        tr("built (UTC)"), tr("state"), tr("corpus evaluations")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_knob->setRange(0, WorkbenchSession::searchKnobMax());
    m_knob->setSpecialValueText(tr("FAISS default"));
    m_use->setToolTip(tr("The selected index serves its method in the whole-split pool: the method is evaluated "
                         "again through it and the inspector shows that run"));
    m_exact->setToolTip(tr("The selected index's method ranks the whole split exactly in memory again"));
    m_delete->setToolTip(tr("Deletes the index file and its metadata; runs made through it are kept"));
    auto* buttons = new QHBoxLayout;
    for (QWidget* w :
         {static_cast<QWidget*>(m_build), static_cast<QWidget*>(m_delete), static_cast<QWidget*>(m_use),
          static_cast<QWidget*>(m_knobLabel), static_cast<QWidget*>(m_knob), static_cast<QWidget*>(m_exact)})
        buttons->addWidget(w);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    connect(m_build, &QPushButton::clicked, this, &IndexPanel::buildRequested);
    connect(m_use, &QPushButton::clicked, this, &IndexPanel::useSelected);
    connect(m_exact, &QPushButton::clicked, this, &IndexPanel::useExact);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString file = selectedFile();
        if (!file.isEmpty() && QMessageBox::question(this, tr("Delete index"),
                                                     tr("Delete %1? Building it again takes as long as the first "
                                                        "time.")
                                                         .arg(QFileInfo(file).fileName())) == QMessageBox::Yes)
            removeSelected();
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &IndexPanel::onSelectionChanged);
    connect(&m_session, &WorkbenchSession::indexJobFinished, this, &IndexPanel::onIndexJobFinished);
    connect(&m_session, &WorkbenchSession::indexChoiceChanged, this, &IndexPanel::reload);
    connect(&m_session, &WorkbenchSession::indexStatesChanged, this, &IndexPanel::reload);
    // What changes an index's encoder or corpus asks for a check (the list follows its states).
    const auto check = [this] { m_session.checkIndexes(); };
    connect(&m_session, &WorkbenchSession::datasetLoaded, this, check);
    connect(&m_session, &WorkbenchSession::trainingFinished, this, check);
    reload();
}

void IndexPanel::reload() {
    const QString selected = selectedFile();
    const auto indexes = m_session.storedIndexes();
    m_table->setRowCount(static_cast<int>(indexes.size()));
    int row = 0;
    for (const auto& m : indexes) {
        const QString file = QString::fromStdString(m.file), method = QString::fromStdString(m.encoder);
        const auto choice = m_session.indexChoice(method);
        const bool used =
            choice.factory.toStdString() == m.factory && m.corpus == m_session.settings().split.toStdString();
        const QStringList cells{QString::fromStdString(m.factory),
                                method,
                                QString::fromStdString(m.corpus),
                                tr("%1 × %2").arg(m.ntotal).arg(m.dim),
                                bytes(QFileInfo(file).size()),
                                tr("%1 (%2 s)")
                                    .arg(QString::fromStdString(m.created).left(16).replace('T', ' '))
                                    .arg(m.buildSeconds, 0, 'f', 2),
                                stateOf(m_session, m),
                                used ? tr("searched%1").arg(knobText(choice)) : tr("—")};
        const auto checked = m_session.indexState(file);
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            // The state's tooltip has the check's whole finding (fingerprints, the error).
            item->setToolTip(c == StateColumn && checked && !checked->isEmpty() ? *checked : file);
            item->setData(Qt::UserRole, file);
            m_table->setItem(row, c, item);
        }
        if (file == selected)
            m_table->selectRow(row);
        ++row;
    }
    m_table->resizeColumnsToContents();
    // The placeholder goes once there is something to list; a job's outcome stays.
    if (indexes.empty() || m_status->property("placeholder").toBool())
        m_status->setText(!indexes.empty()           ? QString()
                          : m_session.hasWorkspace() ? tr("No stored indexes: Build… makes one of a dense method's "
                                                          "passage vectors over a split (uae index build).")
                                                     : tr("No workspace open."));
    m_status->setProperty("placeholder", indexes.empty());
    onSelectionChanged();
}

QString IndexPanel::selectedFile() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_table->item(rows.front().row(), FactoryColumn)->data(Qt::UserRole).toString();
}

void IndexPanel::onSelectionChanged() {
    const auto rows = m_table->selectionModel()->selectedRows();
    const bool any = !rows.isEmpty();
    for (QWidget* w : {static_cast<QWidget*>(m_delete), static_cast<QWidget*>(m_use), static_cast<QWidget*>(m_exact)})
        w->setEnabled(any);
    const IndexKnob knob =
        any ? indexKnob(m_table->item(rows.front().row(), FactoryColumn)->text().toStdString()) : IndexKnob::None;
    m_knobLabel->setText(knob == IndexKnob::Nprobe     ? tr("nprobe")
                         : knob == IndexKnob::EfSearch ? tr("efSearch")
                                                       : QString());
    m_knob->setEnabled(knob != IndexKnob::None);
    if (m_knob->property("knob").toInt() != static_cast<int>(knob)) { // keep a value the user typed for this kind
        m_knob->setValue(defaultKnobValue(knob));
        m_knob->setProperty("knob", static_cast<int>(knob));
    }
}

void IndexPanel::removeSelected() {
    const QString file = selectedFile();
    if (file.isEmpty())
        return;
    const QString error = m_session.removeIndex(file);
    reload(); // first: an empty list says so in the status line, which the outcome replaces
    showStatus(error.isEmpty() ? tr("Deleted %1.").arg(QFileInfo(file).fileName())
                               : tr("Could not delete: %1").arg(error));
}

void IndexPanel::useSelected() {
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const int row = rows.front().row();
    const QString split = m_table->item(row, SplitColumn)->text(), method = m_table->item(row, MethodColumn)->text();
    WorkbenchSession::IndexChoice choice;
    choice.factory = m_table->item(row, FactoryColumn)->text();
    const IndexKnob knob = indexKnob(choice.factory.toStdString());
    if (knob == IndexKnob::Nprobe)
        choice.nprobe = m_knob->value();
    else if (knob == IndexKnob::EfSearch)
        choice.efSearch = m_knob->value();
    m_session.setIndexChoice(method, choice);
    showStatus(split != m_session.settings().split || !m_session.isCorpusPool()
                   ? tr("%1's whole-split evaluations will search a %2 index (one is built for a split that "
                        "has none); set Pool to the whole split to see them.")
                         .arg(method, choice.factory)
                   : tr("Evaluating %1 through %2%3…").arg(method, choice.factory, knobText(choice)));
}

void IndexPanel::useExact() {
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QString method = m_table->item(rows.front().row(), MethodColumn)->text();
    m_session.setIndexChoice(method, {});
    showStatus(tr("%1 ranks the whole split exactly in memory.").arg(method));
}

void IndexPanel::onIndexJobFinished(RunStatus status, const QString& message) {
    if (status == RunStatus::Finished)
        m_session.checkIndexes(); // a rebuilt file's old finding no longer holds
    reload();                     // first: the outcome replaces what the list's state says
    if (status == RunStatus::Finished)
        showStatus(tr("Index ready: %1").arg(message));
    else if (status == RunStatus::Cancelled)
        showStatus(tr("Index build cancelled; nothing was kept."));
    else
        showStatus(tr("Index build failed: %1").arg(message));
}

void IndexPanel::showStatus(const QString& text) {
    m_status->setText(text);
    m_status->setProperty("placeholder", false);
}

} // namespace uae::ui

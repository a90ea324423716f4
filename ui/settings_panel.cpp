#include "settings_panel.h"

#include "workbench_session.h"
#include "uae/device.h"
#include "uae/model_registry.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace uae::ui {

namespace {

QWidget* withBrowse(QLineEdit* edit, QWidget* parent, const QString& title) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(QObject::tr("…"));
    browse->setMaximumWidth(32);
    QObject::connect(browse, &QPushButton::clicked, parent, [edit, parent, title] {
        const QString dir = QFileDialog::getExistingDirectory(parent, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(dir);
    });
    layout->addWidget(browse);
    return row;
}

// One entry per model in the user cache, its name as data; a tooltip says where it came from.
void fillFetched(QComboBox* box) {
    const auto models = fetchedModels();
    box->addItem(QObject::tr("%n fetched model(s)", nullptr, static_cast<int>(models.size())), QString());
    for (const auto& m : models) {
        const QString label = QObject::tr("%1 (%2, %3 MB, %4)")
                                  .arg(QString::fromStdString(m.name), QString::fromStdString(m.kind))
                                  .arg(m.bytes / 1e6, 0, 'f', 1)
                                  .arg(QString::fromStdString(m.source));
        box->addItem(label, QString::fromStdString(m.name));
        box->setItemData(box->count() - 1,
                         QObject::tr("%1\nlicence %2, upstream %3%4")
                             .arg(QString::fromStdString(m.path), QString::fromStdString(m.licence),
                                  QString::fromStdString(m.upstream),
                                  m.problem.empty() ? QString() : "\n" + QString::fromStdString(m.problem)),
                         Qt::ToolTipRole);
        box->setItemData(box->count() - 1, QString::fromStdString(m.kind), Qt::UserRole + 1);
    }
    if (models.empty())
        box->setItemText(0, QObject::tr("none fetched: run scripts/fetch-models.sh"));
}

} // namespace

void SettingsPanel::save(const SessionSettings& s, QSettings& store) {
    store.setValue("data/qasper", s.dataDir);
    store.setValue("models/glove", s.gloveDir);
    store.setValue("models/bert", s.bertModel);
    store.setValue("compute/device", s.device);
    store.setValue("compute/threads", s.threads);
    store.setValue("compute/batch", s.batch);
}

void SettingsPanel::load(SessionSettings& s, const QSettings& store) {
    s.dataDir = store.value("data/qasper", s.dataDir).toString();
    s.gloveDir = store.value("models/glove", s.gloveDir).toString();
    s.bertModel = store.value("models/bert", s.bertModel).toString();
    s.device = store.value("compute/device", s.device).toString();
    s.threads = store.value("compute/threads", s.threads).toInt();
    s.batch = store.value("compute/batch", s.batch).toInt();
}

SettingsPanel::SettingsPanel(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_data(new QLineEdit), m_glove(new QLineEdit), m_bert(new QLineEdit),
      m_fetched(new QComboBox), m_device(new QComboBox), m_threads(new QSpinBox), m_batch(new QSpinBox),
      m_seen(new QLabel) {
    const SessionSettings& s = m_session.settings();
    m_data->setText(s.dataDir);
    m_glove->setText(s.gloveDir);
    m_bert->setText(s.bertModel);
    m_bert->setPlaceholderText(tr("folder, Hugging Face id or fetched model name (optional)"));
    fillFetched(m_fetched);
    connect(m_fetched, &QComboBox::activated, this, [this](int index) {
        if (m_fetched->itemData(index, Qt::UserRole + 1).toString() == "bert")
            m_bert->setText(m_fetched->itemData(index).toString());
    });
    m_device->addItems({"auto", "cpu", "cuda"});
    m_device->setCurrentText(s.device);
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("all cores"));
    m_threads->setValue(s.threads);
    m_batch->setRange(1, 1024);
    m_batch->setValue(s.batch);
    const DeviceInfo seen = currentDevice();
    m_seen->setText(
        tr("LibTorch %1 sees: %2").arg(QString::fromStdString(seen.torchVersion), QString::fromStdString(seen.name)));
    m_seen->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Data folder"), withBrowse(m_data, this, tr("QASPER or BEIR folder")));
    form->addRow(tr("GloVe folder"), withBrowse(m_glove, this, tr("GloVe folder")));
    form->addRow(tr("BERT / BGE model"), withBrowse(m_bert, this, tr("BERT model folder")));
    form->addRow(tr("Fetched models"), m_fetched);
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(tr("Encoder batch"), m_batch);
    auto* applyButton = new QPushButton(tr("Apply"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_seen);
    layout->addWidget(applyButton);
    layout->addStretch(1);
    connect(applyButton, &QPushButton::clicked, this, &SettingsPanel::apply);
}

void SettingsPanel::apply() {
    SessionSettings s = m_session.settings();
    const bool dataChanged = s.dataDir != m_data->text();
    s.dataDir = m_data->text();
    s.gloveDir = m_glove->text();
    s.bertModel = m_bert->text().trimmed();
    s.device = m_device->currentText();
    s.batch = m_batch->value();
    if (s.threads != m_threads->value()) {
        s.threads = m_threads->value();
        configureThreads(s.threads);
    }
    m_session.updateSettings(s);
    QSettings store;
    save(s, store);
    if (dataChanged)
        m_session.loadDataset(s.dataDir, s.split);
    Q_EMIT applied();
}

} // namespace uae::ui

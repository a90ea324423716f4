#include "index_build_dialog.h"

#include "uae/dataset_loader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace uae::ui {

IndexBuildDialog::IndexBuildDialog(WorkbenchSession& session, QWidget* parent)
    : QDialog(parent), m_session(session), m_method(new QComboBox), m_split(new QComboBox), m_factory(new QComboBox),
      m_hint(new QLabel), m_knobLabel(new QLabel), m_knob(new QSpinBox),
      m_use(new QCheckBox(tr("Use it for this method's corpus evaluations"))) {
    setWindowTitle(tr("Build vector index"));
    m_method->addItems(session.denseMethods());
    m_method->setToolTip(tr("Methods with passage vectors; BM25 ranks without them"));
    for (const auto& split : availableSplits(session.settings().dataDir.toStdString()))
        m_split->addItem(QString::fromStdString(split));
    if (m_split->findText(session.settings().split) < 0)
        m_split->addItem(session.settings().split);
    m_split->setCurrentText(session.settings().split);
    m_factory->setEditable(true); // any FAISS index-factory string; the presets are core's
    for (const auto& p : indexPresets()) {
        m_factory->addItem(QString::fromStdString(p.factory));
        m_factory->setItemData(m_factory->count() - 1, QString::fromStdString(p.description), Qt::ToolTipRole);
    }
    m_hint->setWordWrap(true);
    m_knob->setRange(0, WorkbenchSession::searchKnobMax());
    m_knob->setSpecialValueText(tr("FAISS default"));
    m_use->setChecked(true);
    m_use->setToolTip(tr("In the whole-split pool, the inspector's rankings of this method then come from the "
                         "index (the run's config records it, as uae eval --index does)"));
    auto* form = new QFormLayout;
    form->addRow(tr("Method"), m_method);
    form->addRow(tr("Split"), m_split);
    form->addRow(tr("Index (FAISS factory)"), m_factory);
    form->addRow(QString(), m_hint);
    form->addRow(m_knobLabel, m_knob);
    form->addRow(QString(), m_use);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Build"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(m_method->count() > 0);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_factory, &QComboBox::currentTextChanged, this, &IndexBuildDialog::onFactoryChanged);
    connect(m_factory, &QComboBox::currentTextChanged, this, [buttons, this](const QString& text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty() && m_method->count() > 0);
    });
    onFactoryChanged(m_factory->currentText());
    setMinimumWidth(460);
}

void IndexBuildDialog::onFactoryChanged(const QString& factory) {
    const std::string f = factory.trimmed().toStdString();
    QString hint = tr("Any FAISS index-factory string; a bad one fails with FAISS's message.");
    for (const auto& p : indexPresets())
        if (p.factory == f)
            hint = QString::fromStdString(p.description) +
                   (p.minVectors > 1 ? tr(" (needs at least %1 passages)").arg(p.minVectors) : QString());
    m_hint->setText(hint);
    const IndexKnob knob = indexKnob(f);
    m_knobLabel->setText(knob == IndexKnob::Nprobe     ? tr("nprobe (lists visited)")
                         : knob == IndexKnob::EfSearch ? tr("efSearch (candidates)")
                                                       : tr("Search setting"));
    m_knob->setEnabled(knob != IndexKnob::None);
    m_knob->setValue(defaultKnobValue(knob));
}

IndexBuildConfig IndexBuildDialog::config() const {
    return m_session.indexBuildConfig(m_method->currentText(), m_split->currentText(), m_factory->currentText());
}

std::optional<WorkbenchSession::IndexChoice> IndexBuildDialog::useAfter() const {
    if (!m_use->isChecked())
        return std::nullopt;
    WorkbenchSession::IndexChoice choice;
    choice.factory = m_factory->currentText().trimmed();
    const IndexKnob knob = indexKnob(choice.factory.toStdString());
    (knob == IndexKnob::Nprobe ? choice.nprobe : choice.efSearch) = knob == IndexKnob::None ? 0 : m_knob->value();
    return choice;
}

} // namespace uae::ui

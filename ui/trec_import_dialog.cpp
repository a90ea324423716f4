#include "trec_import_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace uae::ui {

namespace {

// The pools core accepts, labelled as the tool bar's pool box labels them.
QString poolLabel(const std::string& pool) {
    if (pool == "paper")
        return QObject::tr("each paper (p<N> counts within the question's paper)");
    if (pool == "corpus")
        return QObject::tr("whole split (p<N> counts over the corpus)");
    return QString::fromStdString(pool);
}

} // namespace

TrecImportDialog::TrecImportDialog(WorkbenchSession& session, const QString& file, QWidget* parent)
    : QDialog(parent), m_session(session), m_file(file), m_pool(new QComboBox), m_name(new QLineEdit),
      m_hint(new QLabel) {
    setObjectName("trec-import-dialog");
    setWindowTitle(tr("Import TREC run"));
    const FieldSpec& pool = TrecImportConfig::spec("pool");
    for (const std::string& choice : pool.choices)
        m_pool->addItem(poolLabel(choice), QString::fromStdString(choice));
    m_pool->setCurrentIndex(std::max(0, m_pool->findData(session.settings().pool)));
    m_pool->setToolTip(QString::fromStdString(pool.help));
    m_name->setPlaceholderText(tr("the file's tag"));
    m_name->setToolTip(QString::fromStdString(TrecImportConfig::spec("name").help));
    m_hint->setWordWrap(true);
    auto* fileLabel = new QLabel(QFileInfo(file).fileName());
    fileLabel->setToolTip(file);
    auto* form = new QFormLayout;
    form->addRow(tr("Run file"), fileLabel);
    form->addRow(tr("Split"), new QLabel(tr("%1 of %2").arg(session.settings().split, session.settings().dataDir)));
    form->addRow(tr("Pool"), m_pool);
    form->addRow(tr("Name"), m_name);
    form->addRow(QString(), m_hint);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_import = buttons->button(QDialogButtonBox::Ok);
    m_import->setText(tr("Import"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &TrecImportDialog::check);
    connect(m_pool, &QComboBox::currentIndexChanged, this, &TrecImportDialog::check);
    check();
    setMinimumWidth(480);
}

TrecImportConfig TrecImportDialog::config() const {
    return m_session.trecImportConfig(m_file, m_pool->currentData().toString(), m_name->text());
}

void TrecImportDialog::check() {
    // Core's field rules decide (a name with a space, too long); the file itself is read by the job.
    const TrecImportConfig c = config();
    const Status valid = c.validate();
    m_import->setEnabled(valid.ok());
    if (!valid) {
        m_hint->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                            .arg(QString::fromStdString(valid.error()).toHtmlEscaped()));
        return;
    }
    const QString method = c.name.empty()
                               ? tr("trec:&lt;the file's tag&gt;")
                               : QStringLiteral("trec:%1").arg(QString::fromStdString(c.name).toHtmlEscaped());
    m_hint->setText(tr("Stored as method %1; the whole file is checked first, and nothing is stored when it has "
                       "a problem.")
                        .arg(method));
}

} // namespace uae::ui

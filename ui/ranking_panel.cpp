#include "ranking_panel.h"

#include "ranking_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace uae::ui {

RankingPanel::RankingPanel(const QString& title, const QStringList& methods, const QString& initialMethod,
                           QWidget* parent)
    : QWidget(parent), m_method(new QComboBox(this)), m_title(new QLabel(this)), m_close(new QPushButton(this)),
      m_status(new QLabel(this)), m_run(new QPushButton(tr("Run"), this)),
      m_answerButton(new QPushButton(tr("Answer"), this)), m_answer(new QLabel(this)), m_view(new QTableView(this)),
      m_model(new RankingModel(this)) {
    m_answerButton->setToolTip(tr("Answer every question from this run's top 3 paragraphs (extractive reader) and "
                                  "score the answers with Token F1 (the official QASPER Answer-F1)"));
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (const QString& m : methods)
        m_method->addItem(m, m);
    m_method->setCurrentIndex(std::max(0, m_method->findData(initialMethod)));
    m_method->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_method->setMinimumContentsLength(10); // stored-run labels are long; the popup shows them whole
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Remove this method from the side-by-side view"));
    m_close->setMaximumWidth(28);
    m_close->setVisible(false);
    m_run->setToolTip(tr("Rank the whole split with this method in the background and store the run"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long status lines must not widen the panel (and the window) past the screen: they elide.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setMinimumWidth(40);

    auto* head = new QHBoxLayout;
    setTitle(title);
    head->addWidget(m_title);
    head->addWidget(m_method);
    head->addWidget(m_run);
    head->addWidget(m_answerButton);
    head->addWidget(m_status, 1);
    head->addWidget(m_close);

    m_view->setModel(m_model);
    m_view->setWordWrap(true);
    m_view->setAlternatingRowColors(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Three panels side by side leave the paragraph column narrow; unbounded, one wrapped paragraph
    // made a row taller than the view. Six lines at most; the whole paragraph is in the tooltip.
    m_view->verticalHeader()->setMaximumSectionSize(m_view->fontMetrics().lineSpacing() * 6 + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    setScale(1.0);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(head);
    layout->addWidget(m_answer);
    layout->addWidget(m_view, 1);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT methodChanged(method()); });
    connect(m_close, &QPushButton::clicked, this, &RankingPanel::closeRequested);
    connect(m_run, &QPushButton::clicked, this, [this] { Q_EMIT runRequested(method()); });
    connect(m_answerButton, &QPushButton::clicked, this, [this] { Q_EMIT answerRequested(method()); });
}

QString RankingPanel::method() const {
    return m_method->currentData().toString();
}
void RankingPanel::setTitle(const QString& title) {
    m_title->setText(QStringLiteral("<b>%1</b>").arg(title));
}
void RankingPanel::setClosable(bool closable) {
    m_close->setVisible(closable);
}
void RankingPanel::setMethods(const QStringList& methods, const QList<QPair<QString, QString>>& runs,
                              const QString& current, bool notify) {
    {
        const QSignalBlocker quiet(m_method);
        m_method->clear();
        for (const QString& m : methods)
            m_method->addItem(m, m);
        if (!runs.isEmpty())
            m_method->insertSeparator(m_method->count());
        for (const auto& [key, label] : runs)
            m_method->addItem(label, key);
        m_method->setCurrentIndex(std::max(0, m_method->findData(current)));
    }
    if (notify)
        Q_EMIT methodChanged(method());
}

void RankingPanel::setScale(double scale) {
    const std::pair<int, int> widths[] = {{RankingModel::RankColumn, 44},  {RankingModel::ChangeColumn, 40},
                                          {RankingModel::ScoreColumn, 64}, {RankingModel::UtilityColumn, 56},
                                          {RankingModel::GoldColumn, 44},  {RankingModel::SectionColumn, 110}};
    for (const auto& [column, width] : widths)
        m_view->setColumnWidth(column, static_cast<int>(width * scale));
    // Enlarged, the paragraph needs the room: gold rows stay highlighted, the section is in the tooltip.
    m_view->setColumnHidden(RankingModel::SectionColumn, scale > 1.0);
    m_view->setColumnHidden(RankingModel::GoldColumn, scale > 1.0);
}

void RankingPanel::setAnswer(const QString& html) {
    m_answer->setText(html);
    m_answer->setVisible(!html.isEmpty() && !m_compact);
}

void RankingPanel::setCompact(bool compact) {
    m_compact = compact;
    m_view->setVisible(!compact);
    m_answer->setVisible(!compact && !m_answer->text().isEmpty());
    // Four compact heads share the width beside the question list: Run shrinks to ▶ and Answer
    // waits for the detail mode, where the answers are shown.
    m_run->setText(compact ? QStringLiteral("▶") : tr("Run"));
    m_run->setMaximumWidth(compact ? 30 : QWIDGETSIZE_MAX);
    m_answerButton->setVisible(!compact);
    m_method->setMinimumContentsLength(compact ? 6 : 10);
    // Compact, the head line must not take the grid's height.
    setSizePolicy(QSizePolicy::Preferred, compact ? QSizePolicy::Maximum : QSizePolicy::Preferred);
}

QString RankingPanel::answerText() const {
    return m_answer->text();
}

void RankingPanel::setStatus(const QString& text) {
    m_status->setText(text);
    m_status->setToolTip(text);
}
QString RankingPanel::statusText() const {
    return m_status->text();
}

void RankingPanel::setRunEnabled(bool enabled) {
    m_run->setEnabled(enabled);
    m_answerButton->setEnabled(enabled);
}

} // namespace uae::ui

#include "question_pane.h"

#include "question_list_model.h"
#include "uae/question_filters.h"
#include "workbench_session.h"

#include <QComboBox>
#include <QLineEdit>
#include <QHeaderView>
#include <QTreeView>
#include <QSettings>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace uae::ui {

namespace {

const char* const kPinnedKey = "presentation/pinned";

} // namespace

QuestionPane::QuestionPane(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_questions(new QuestionListModel(this)), m_filter(new QuestionFilter(this)),
      m_quickFilter(new QComboBox), m_search(new QLineEdit), m_list(new QTreeView) {
    m_filter->setSourceModel(m_questions);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list->setModel(m_filter);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(QuestionListModel::QuestionColumn, Qt::AscendingOrder);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(QuestionListModel::QuestionColumn, QHeaderView::Stretch);
    for (int c = QuestionListModel::GoldRankAColumn; c < QuestionListModel::ColumnCount; ++c)
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_search->setPlaceholderText(tr("Filter questions…"));
    m_search->setClearButtonEnabled(true);
    m_quickFilter->addItems({tr("All questions"), tr("B fixed: A misses at rank 1, B hits"),
                             tr("B broke: A hits at rank 1, B misses"), tr("All fail: no gold in A's or B's top 3"),
                             tr("Teacher disagrees with gold"), tr("Presentation list (★, Ctrl+B pins)")});
    m_quickFilter->setToolTip(tr("Jump between questions where the two methods shown differ "
                                 "(set panel A to the base and B to UAE for \"UAE fixed\" / \"UAE broke\")"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_quickFilter);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);

    connect(m_search, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_quickFilter, &QComboBox::currentIndexChanged, this, [this] { applyQuickFilter(); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &QuestionPane::currentQuestionChanged);
}

void QuestionPane::showDataset() {
    m_questions->setDataset(m_session.dataset());
    for (const QString& id : QSettings().value(kPinnedKey).toStringList())
        m_questions->setPinned(id, true);
}

void QuestionPane::selectFirst() {
    if (m_filter->rowCount() > 0)
        m_list->setCurrentIndex(m_filter->index(0, 0));
}

void QuestionPane::setComparedMethods(const QString& a, const QString& b) {
    m_methodA = a;
    m_methodB = b;
    m_questions->setRankings(a, b, [session = &m_session, a, b](const Question& q) {
        return std::pair{MethodResults::find(session->results(a), q.id),
                         MethodResults::find(session->results(b), q.id)};
    });
    if (m_quickFilter->currentIndex() != AllQuestions)
        applyQuickFilter();
}

void QuestionPane::setQuickFilter(QuickFilter filter) {
    if (m_quickFilter->currentIndex() != filter)
        m_quickFilter->setCurrentIndex(filter); // applied through the signal
    else
        applyQuickFilter();
}

void QuestionPane::applyQuickFilter() {
    // Results are looked up on every call: the session's cache may be replaced while the filter
    // lives.
    WorkbenchSession* session = &m_session;
    const QString a = m_methodA, b = m_methodB;
    auto ranking = [session](const QString& method, const Question& q) {
        return MethodResults::find(session->results(method), q.id);
    };
    QuestionFilter::Predicate predicate;
    switch (static_cast<QuickFilter>(m_quickFilter->currentIndex())) {
    case BFixed:
        predicate = [=](const Question& q) { return bFixed(q, ranking(a, q), ranking(b, q)); };
        break;
    case BBroke:
        predicate = [=](const Question& q) { return bBroke(q, ranking(a, q), ranking(b, q)); };
        break;
    case AllFail:
        predicate = [=](const Question& q) { return allFail(q, ranking(a, q), ranking(b, q)); };
        break;
    case TeacherDisagrees:
        predicate = [session](const Question& q) {
            const QHash<int, double> u = session->utilities(q.id);
            return teacherDisagrees(q, std::map<int, double>(u.keyValueBegin(), u.keyValueEnd()));
        };
        break;
    case Pinned:
        predicate = [model = m_questions](const Question& q) { return model->isPinned(QString::fromStdString(q.id)); };
        break;
    case AllQuestions:
        break;
    }
    m_filter->setPredicate(std::move(predicate));
    if (!m_list->currentIndex().isValid())
        selectFirst();
    Q_EMIT statusMessage(tr("%1 of %2 questions shown").arg(m_filter->rowCount()).arg(m_questions->rowCount()));
}

void QuestionPane::sortBy(int column, Qt::SortOrder order) {
    m_list->sortByColumn(column, order);
}

int QuestionPane::visibleQuestions() const {
    return m_filter->rowCount();
}

const Question* QuestionPane::currentQuestion() const {
    return m_questions->question(m_filter->mapToSource(m_list->currentIndex()).row());
}

bool QuestionPane::selectQuestion(const QString& questionId) {
    const int row = m_questions->rowOf(questionId);
    if (row < 0)
        return false;
    m_search->clear();
    m_list->setCurrentIndex(m_filter->mapFromSource(m_questions->index(row, 0)));
    return true;
}

void QuestionPane::stepQuestion(int delta) {
    const int rows = m_filter->rowCount();
    if (rows == 0)
        return;
    const int current = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -delta;
    m_list->setCurrentIndex(m_filter->index(std::clamp(current + delta, 0, rows - 1), 0));
}

void QuestionPane::togglePin() {
    const Question* q = currentQuestion();
    if (!q)
        return;
    const QString id = QString::fromStdString(q->id);
    m_questions->setPinned(id, !m_questions->isPinned(id));
    QSettings().setValue(kPinnedKey, m_questions->pinned());
    Q_EMIT statusMessage(tr("%1 question(s) in the presentation list").arg(m_questions->pinned().size()));
}

QStringList QuestionPane::pinned() const {
    QStringList ordered, rest = m_questions->pinned();
    if (const auto data = m_session.dataset())
        for (const auto& q : data->questions)
            if (rest.removeOne(QString::fromStdString(q.id)))
                ordered << QString::fromStdString(q.id);
    rest.sort();
    return ordered + rest;
}

} // namespace uae::ui

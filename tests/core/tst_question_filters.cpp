// The inspector's quick filters (uae/question_filters.h), case by case.
#include "uae/question_filters.h"

#include <QtTest>

#include <optional>

using namespace uae;

namespace {

Question question(const QList<int>& gold) {
    Question q;
    q.id = "q";
    q.gold.assign(gold.begin(), gold.end());
    return q;
}

// An empty list stands for "no result for this question" (a null ranking).
std::optional<QuestionResult> ranking(const QList<int>& order) {
    if (order.isEmpty())
        return std::nullopt;
    QuestionResult r;
    r.questionId = "q";
    r.order.assign(order.begin(), order.end());
    return r;
}

const QuestionResult* ptr(const std::optional<QuestionResult>& r) {
    return r ? &*r : nullptr;
}

} // namespace

class TestQuestionFilters : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void goldInTop_data() {
        QTest::addColumn<QList<int>>("gold");
        QTest::addColumn<QList<int>>("order");
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("expected");
        QTest::newRow("first") << QList<int>{4} << QList<int>{4, 1, 2} << 1 << true;
        QTest::newRow("second, k=1") << QList<int>{1} << QList<int>{4, 1, 2} << 1 << false;
        QTest::newRow("third, k=3") << QList<int>{2} << QList<int>{4, 1, 2} << 3 << true;
        QTest::newRow("any of two golds") << QList<int>{7, 1} << QList<int>{4, 1, 2} << 2 << true;
        QTest::newRow("k past the end") << QList<int>{2} << QList<int>{4, 2} << 10 << true;
        QTest::newRow("not ranked") << QList<int>{2} << QList<int>{} << 3 << false;
        QTest::newRow("no gold") << QList<int>{} << QList<int>{4, 1} << 3 << false;
    }
    void goldInTop() {
        QFETCH(QList<int>, gold);
        QFETCH(QList<int>, order);
        QFETCH(int, k);
        QFETCH(bool, expected);
        const auto r = ranking(order);
        QCOMPARE(uae::goldInTop(question(gold), ptr(r), static_cast<std::size_t>(k)), expected);
    }

    void rankFilters_data() {
        QTest::addColumn<QList<int>>("gold");
        QTest::addColumn<QList<int>>("a");
        QTest::addColumn<QList<int>>("b");
        QTest::addColumn<bool>("fixed");
        QTest::addColumn<bool>("broke");
        QTest::addColumn<bool>("fail");
        // gold 5 throughout
        QTest::newRow("B fixes") << QList<int>{5} << QList<int>{1, 5} << QList<int>{5, 1} << true << false << false;
        QTest::newRow("B breaks") << QList<int>{5} << QList<int>{5, 1} << QList<int>{1, 5} << false << true << false;
        QTest::newRow("both hit") << QList<int>{5} << QList<int>{5} << QList<int>{5} << false << false << false;
        QTest::newRow("both miss at 1, hit in 3")
            << QList<int>{5} << QList<int>{1, 2, 5} << QList<int>{2, 5} << false << false << false;
        QTest::newRow("both miss the top 3")
            << QList<int>{5} << QList<int>{1, 2, 3, 5} << QList<int>{3, 2, 1, 5} << false << false << true;
        QTest::newRow("A not ranked") << QList<int>{5} << QList<int>{} << QList<int>{5} << false << false << false;
        QTest::newRow("B not ranked") << QList<int>{5} << QList<int>{5} << QList<int>{} << false << false << false;
        QTest::newRow("no text evidence") << QList<int>{} << QList<int>{1} << QList<int>{2} << false << false << false;
    }
    void rankFilters() {
        QFETCH(QList<int>, gold);
        QFETCH(QList<int>, a);
        QFETCH(QList<int>, b);
        QFETCH(bool, fixed);
        QFETCH(bool, broke);
        QFETCH(bool, fail);
        const Question q = question(gold);
        const auto ra = ranking(a), rb = ranking(b);
        QCOMPARE(bFixed(q, ptr(ra), ptr(rb)), fixed);
        QCOMPARE(bBroke(q, ptr(ra), ptr(rb)), broke);
        QCOMPARE(allFail(q, ptr(ra), ptr(rb)), fail);
    }

    void teacherDisagrees_data() {
        QTest::addColumn<QList<int>>("gold");
        QTest::addColumn<QList<int>>("paragraphs");
        QTest::addColumn<QList<double>>("utilities");
        QTest::addColumn<bool>("expected");
        QTest::newRow("teacher picks gold")
            << QList<int>{2} << QList<int>{1, 2, 3} << QList<double>{0.1, 0.7, 0.2} << false;
        QTest::newRow("teacher picks other")
            << QList<int>{2} << QList<int>{1, 2, 3} << QList<double>{0.6, 0.3, 0.1} << true;
        QTest::newRow("tie goes to the lower index, gold")
            << QList<int>{1} << QList<int>{1, 2} << QList<double>{0.5, 0.5} << false;
        QTest::newRow("tie goes to the lower index, not gold")
            << QList<int>{2} << QList<int>{1, 2} << QList<double>{0.5, 0.5} << true;
        QTest::newRow("no labels") << QList<int>{2} << QList<int>{} << QList<double>{} << false;
        QTest::newRow("no text evidence") << QList<int>{} << QList<int>{1} << QList<double>{1.0} << false;
    }
    void teacherDisagrees() {
        QFETCH(QList<int>, gold);
        QFETCH(QList<int>, paragraphs);
        QFETCH(QList<double>, utilities);
        QFETCH(bool, expected);
        std::map<int, double> u;
        for (int i = 0; i < paragraphs.size(); ++i)
            u[paragraphs[i]] = utilities[i];
        QCOMPARE(uae::teacherDisagrees(question(gold), u), expected);
    }
};

QTEST_GUILESS_MAIN(TestQuestionFilters)
#include "tst_question_filters.moc"

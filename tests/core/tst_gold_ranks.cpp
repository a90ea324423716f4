// Gold ranks, rank changes and the question list's sort keys (uae/gold_ranks.h); the paragraph
// pane's term highlighting (uae/term_highlight.h) and the display preferences (uae/view_prefs.h).
#include "uae/gold_ranks.h"
#include "uae/term_highlight.h"
#include "uae/view_prefs.h"

#include <QtTest>

#include <algorithm>
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

// -1 stands for nullopt in the data tables.
int orMinus(std::optional<int> v) {
    return v.value_or(-1);
}

std::optional<int> opt(int v) {
    return v < 0 ? std::nullopt : std::optional<int>(v);
}

} // namespace

class TestGoldRanks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void goldRankAndChange_data() {
        QTest::addColumn<QList<int>>("gold");
        QTest::addColumn<QList<int>>("a");
        QTest::addColumn<QList<int>>("b");
        QTest::addColumn<int>("rankA");
        QTest::addColumn<int>("rankB");
        QTest::addColumn<int>("change");
        QTest::newRow("B wins 7 -> 1") << QList<int>{4} << QList<int>{0, 1, 2, 3, 5, 6, 4} << QList<int>{4, 0, 1} << 7
                                       << 1 << 6;
        QTest::newRow("B loses 1 -> 3") << QList<int>{2} << QList<int>{2, 0, 1} << QList<int>{0, 1, 2} << 1 << 3 << -2;
        QTest::newRow("best of two golds")
            << QList<int>{1, 3} << QList<int>{0, 3, 1} << QList<int>{1, 3} << 2 << 1 << 1;
        QTest::newRow("no gold") << QList<int>{} << QList<int>{0, 1} << QList<int>{1, 0} << -1 << -1 << -1;
        QTest::newRow("B has no result") << QList<int>{1} << QList<int>{0, 1} << QList<int>{} << 2 << -1 << -1;
        QTest::newRow("gold not ranked by A") << QList<int>{9} << QList<int>{0, 1} << QList<int>{9} << -1 << 1 << -1;
    }
    void goldRankAndChange() {
        QFETCH(QList<int>, gold);
        QFETCH(QList<int>, a);
        QFETCH(QList<int>, b);
        const Question q = question(gold);
        const auto ra = ranking(a), rb = ranking(b);
        QTEST(orMinus(goldRank(q, ptr(ra))), "rankA");
        QTEST(orMinus(goldRank(q, ptr(rb))), "rankB");
        QTEST(orMinus(goldRankChange(q, ptr(ra), ptr(rb))), "change");
        QTEST(orMinus(questionSortValue(QuestionSortKey::RankChange, q, ptr(ra), ptr(rb))), "change");
        QTEST(orMinus(questionSortValue(QuestionSortKey::GoldRankB, q, ptr(ra), ptr(rb))), "rankB");
        QVERIFY(!questionSortValue(QuestionSortKey::Order, q, ptr(ra), ptr(rb)));
    }

    void journeysFollowEachGoldThroughEveryMethod() {
        const Question q = question({5, 2, 5});
        const auto bm25 = ranking({0, 1, 2, 3, 4, 5}), dense = ranking({5, 2}), none = ranking({});
        const auto journeys = goldJourneys(q, {ptr(bm25), ptr(dense), ptr(none)});
        QCOMPARE(journeys.size(), size_t(2)); // duplicates dropped, ascending paragraphs
        QCOMPARE(journeys[0].paragraph, 2);
        QCOMPARE(journeys[0].ranks, (std::vector<std::optional<int>>{3, 2, std::nullopt}));
        QCOMPARE(journeys[1].paragraph, 5);
        QCOMPARE(journeys[1].ranks, (std::vector<std::optional<int>>{6, 1, std::nullopt}));
        QVERIFY(goldJourneys(question({}), {ptr(bm25)}).empty());
    }

    // Sorted with sortValueLess as a proxy does (descending: the comparison's arguments swapped),
    // the missing values come last in both directions.
    void missingValuesSortLast_data() {
        QTest::addColumn<bool>("descending");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("ascending: biggest loss first") << false << QList<int>{-4, 0, 3, 6, -1, -1};
        QTest::newRow("descending: biggest win first") << true << QList<int>{6, 3, 0, -4, -1, -1};
    }
    void missingValuesSortLast() {
        QFETCH(bool, descending);
        std::vector<std::optional<int>> values{std::nullopt, 3, -4, std::nullopt, 6, 0};
        std::stable_sort(values.begin(), values.end(), [&](auto x, auto y) {
            return descending ? sortValueLess(y, x, true) : sortValueLess(x, y, false);
        });
        QList<int> got;
        for (auto v : values)
            got << orMinus(v);
        QTEST(got, "expected");
        QVERIFY(!sortValueLess(opt(-1), opt(-1), descending));
    }

    void termsOfTheQuestionAndTheAnswerAreMarked() {
        Question q = question({0});
        q.text = "Which dataset do they use for Recall?";
        Reference ref;
        ref.type = AnswerType::Extractive;
        ref.answer = "the SQuAD dataset";
        q.references.push_back(ref);
        Reference yes;
        yes.type = AnswerType::Boolean;
        yes.answer = "Yes";
        q.references.push_back(yes);
        const std::string paragraph = "Recall on SQuAD: yes, the dataset they use. Recalls differ.";
        const auto spans = highlightTerms(paragraph, q);
        QStringList got;
        for (const TermSpan& s : spans)
            got << QString::fromStdString(paragraph.substr(s.begin, s.length)) + "/" +
                       QString::number(static_cast<int>(s.kind));
        // Question = 0, Answer = 1, Both = 2; stop words ("they", "the") and "yes" are not marked.
        QCOMPARE(got, (QStringList{"Recall/0", "SQuAD/1", "dataset/2", "use/0"}));
    }

    void recentListsAndFontSteps() {
        std::vector<std::string> recent;
        for (int i = 0; i < 10; ++i)
            recent = pushRecent(recent, "ws" + std::to_string(i) + ".db");
        QCOMPARE(recent.size(), ViewPrefs::kRecentEntries);
        QCOMPARE(recent.front(), std::string("ws9.db"));
        recent = pushRecent(recent, "ws5.db");
        QCOMPARE(recent.front(), std::string("ws5.db"));
        QCOMPARE(std::count(recent.begin(), recent.end(), std::string("ws5.db")), 1);
        QCOMPARE(pushRecent(recent, "").size(), recent.size());
        QCOMPARE(stepFontScale(1.0, 1), ViewPrefs::kFontScaleStep);
        QCOMPARE(stepFontScale(1.3, 0), 1.0);
        QCOMPARE(stepFontScale(1.0, 100), ViewPrefs::kFontScaleMax);
        QCOMPARE(stepFontScale(1.0, -100), ViewPrefs::kFontScaleMin);
    }
};

QTEST_GUILESS_MAIN(TestGoldRanks)
#include "tst_gold_ranks.moc"

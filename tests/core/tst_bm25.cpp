#include "uae/bm25.h"
#include "uae/qasper.h"

#include <QtTest>

using namespace uae;

class TestBm25 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handComputedScores_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<double>>("expected");
        // Pool "cat cat dog" | "dog fish" | "bird": N = 3, avgdl = 2, k1 = 1.2, b = 0.75.
        // idf(cat) = ln(1 + 2.5/1.5), idf(dog) = ln(1 + 1.5/2.5).
        // d0 = idf(cat)*2*2.2/(2 + 1.2*(0.25 + 0.75*1.5)) + idf(dog)*2.2/(1 + 1.65)
        // d1 = idf(dog)*2.2/(1 + 1.2*(0.25 + 0.75*1))
        QTest::newRow("two terms") << "cat dog" << QList<double>{1.5725612026838962, 0.47000362924573563, 0};
        QTest::newRow("stop words and case ignored")
            << "The CAT and the dog?" << QList<double>{1.5725612026838962, 0.47000362924573563, 0};
        QTest::newRow("unknown term") << "zebra" << QList<double>{0, 0, 0};
        QTest::newRow("single term") << "bird"
                                     << QList<double>{0, 0,
                                                      std::log(1 + 2.5 / 1.5) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 0.5))};
    }
    void handComputedScores() {
        QFETCH(QString, query);
        QFETCH(QList<double>, expected);
        Bm25Retriever bm25;
        const auto s = bm25.scores({"cat cat dog", "dog fish", "bird"}, query.toStdString());
        QCOMPARE(s.size(), size_t(3));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(qAbs(s[i] - expected[i]) < 1e-5,
                     qPrintable(QString("d%1: %2 vs %3").arg(i).arg(s[i]).arg(expected[i])));
    }

    void rankingOrdersByScoreThenDocument() {
        Paper paper;
        paper.paragraphs = {{"A", "bird"}, {"A", "dog fish"}, {"B", "cat cat dog"}, {"B", "nothing here"}};
        Bm25Retriever bm25;
        const auto r = bm25.rank(RetrievalQuery{"q", "cat dog", &paper});
        QCOMPARE(r.order, (std::vector<int>{2, 1, 0, 3})); // zero scores keep document order
        QCOMPARE(r.scores.size(), size_t(4));
        QVERIFY(r.scores[0] > r.scores[1]);
        QCOMPARE(r.scores[3], 0.0f);
        QVERIFY(r.latencyMs >= 0);
    }

    void emptyPool() {
        Paper paper;
        Bm25Retriever bm25;
        const auto r = bm25.rank(RetrievalQuery{"q", "cat", &paper});
        QVERIFY(r.order.empty());
    }
};

QTEST_GUILESS_MAIN(TestBm25)
#include "tst_bm25.moc"

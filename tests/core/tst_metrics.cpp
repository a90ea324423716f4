#include "uae/bootstrap.h"
#include "uae/metrics.h"
#include "uae/qasper.h"

#include <QtTest>

using namespace uae;

using Values = QList<double>; // recall@1, recall@3, recall@5, mrr, map, ndcg@10

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retrieval_data() {
        QTest::addColumn<QList<int>>("order");
        QTest::addColumn<QList<int>>("gold");
        QTest::addColumn<Values>("expected");
        // Hand-computed: gold at rank 2 -> MRR 1/2, AP 1/2, nDCG 1/log2(3).
        QTest::newRow("one gold at rank 2")
            << QList<int>{3, 1, 2, 0} << QList<int>{1} << Values{0, 1, 1, 0.5, 0.5, 0.6309297535714575};
        // Gold at ranks 1 and 5: AP (1/1 + 2/5) / 2; nDCG (1 + 1/log2 6) / (1 + 1/log2 3).
        QTest::newRow("two gold, ranks 1 and 5")
            << QList<int>{0, 1, 2, 3, 4, 5} << QList<int>{4, 0} << Values{0.5, 0.5, 1, 1, 0.7, 0.8503449055347546};
        QTest::newRow("gold not in pool") << QList<int>{0, 1} << QList<int>{5} << Values{0, 0, 0, 0, 0, 0};
        // A pool shorter than the cutoff: recall@3 counts what was retrieved, as trec_eval does.
        QTest::newRow("pool of two") << QList<int>{2, 0} << QList<int>{0, 2} << Values{0.5, 1, 1, 1, 1, 1};
        QTest::newRow("no gold") << QList<int>{0, 1, 2} << QList<int>{} << Values{0, 0, 0, 0, 0, 0};
    }
    void retrieval() {
        QFETCH(QList<int>, order);
        QFETCH(QList<int>, gold);
        QFETCH(Values, expected);
        const auto m = retrievalMetrics({order.begin(), order.end()}, {gold.begin(), gold.end()});
        const Metric names[] = {Metric::Recall1, Metric::Recall3, Metric::Recall5,
                                Metric::Mrr,     Metric::Map,     Metric::Ndcg10};
        for (int i = 0; i < 6; ++i)
            QVERIFY2(qAbs(m[names[i]] - expected[i]) < 1e-12,
                     qPrintable(
                         QString("%1 = %2, expected %3").arg(metricName(names[i])).arg(m[names[i]]).arg(expected[i])));
    }

    void paragraphF1_data() {
        QTest::addColumn<QStringList>("predicted");
        QTest::addColumn<QStringList>("gold");
        QTest::addColumn<double>("f1");
        QTest::newRow("both empty") << QStringList{} << QStringList{} << 1.0;
        QTest::newRow("half recall") << QStringList{"a"} << QStringList{"a", "b"} << 2.0 / 3.0;
        QTest::newRow("miss") << QStringList{"a"} << QStringList{"b"} << 0.0;
        QTest::newRow("empty prediction") << QStringList{} << QStringList{"a"} << 0.0;
        QTest::newRow("exact") << QStringList{"a", "b"} << QStringList{"b", "a"} << 1.0;
    }
    void paragraphF1() {
        QFETCH(QStringList, predicted);
        QFETCH(QStringList, gold);
        QFETCH(double, f1);
        auto conv = [](const QStringList& l) {
            std::vector<std::string> v;
            for (const auto& s : l)
                v.push_back(s.toStdString());
            return v;
        };
        QCOMPARE(uae::paragraphF1(conv(predicted), conv(gold)), f1);
    }

    void evidenceF1MaxOverAnnotators() {
        Reference unanswerable;
        unanswerable.type = AnswerType::None;
        Reference twoParagraphs;
        twoParagraphs.type = AnswerType::Extractive;
        twoParagraphs.evidence = {EvidenceItem{"a"}, EvidenceItem{"b"}};
        const std::vector<Reference> refs{unanswerable, twoParagraphs};
        QCOMPARE(evidenceF1({"a"}, refs), 2.0 / 3.0);
        // An empty prediction matches the unanswerable annotator exactly.
        QCOMPARE(evidenceF1({}, refs), 1.0);
        QCOMPARE(evidenceF1({"c"}, refs), 0.0);
    }

    void pairedBootstrap() {
        const std::vector<double> a{0, 1, 0, 1, 0.5, 0.25}, same = a;
        auto none = uae::pairedBootstrap(a, same);
        QCOMPARE(none.mean, 0.0);
        QCOMPARE(none.low, 0.0);
        QCOMPARE(none.high, 0.0);
        QCOMPARE(none.p, 1.0);
        std::vector<double> shifted;
        for (double x : a)
            shifted.push_back(x + 0.1);
        auto shift = uae::pairedBootstrap(a, shifted);
        QVERIFY(std::fabs(shift.mean - 0.1) < 1e-12 && std::fabs(shift.low - 0.1) < 1e-12 &&
                std::fabs(shift.high - 0.1) < 1e-12);
        QCOMPARE(shift.p, 0.0);
        // Mixed wins and losses: the interval straddles the mean and is deterministic per seed.
        const std::vector<double> b{1, 0, 1, 1, 0, 0.5};
        auto mixed = uae::pairedBootstrap(a, b), again = uae::pairedBootstrap(a, b);
        QVERIFY(std::fabs(mixed.mean - 0.125) < 1e-12);
        QVERIFY(mixed.low < mixed.mean && mixed.mean < mixed.high);
        QCOMPARE(mixed.low, again.low);
        QVERIFY(mixed.p > 0.05);
    }

    void names() {
        QCOMPARE(QString(metricName(Metric::Ndcg10)), QString("ndcg@10"));
        QCOMPARE(QString(metricName(Metric::EvidenceF1)), QString("evidence_f1"));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"

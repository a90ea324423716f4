#include "uae/bm25.h"
#include "uae/qasper.h"

#include <QtTest>

#include <cmath>
#include <map>
#include <random>
#include <sstream>

using namespace uae;

namespace {
// The formula of bm25.h evaluated term by term over every paragraph, with no index: what the
// inverted index must reproduce exactly. Words here are lower-case letters without stop words,
// so splitting on spaces is the tokenizer's result.
std::vector<float> referenceScores(const std::vector<std::string>& pool, const std::string& query) {
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::istringstream in(s);
        for (std::string w; in >> w;)
            out.push_back(w);
        return out;
    };
    std::vector<std::map<std::string, int>> tf;
    std::map<std::string, int> df;
    double total = 0;
    for (const auto& p : pool) {
        tf.emplace_back();
        for (const auto& w : split(p))
            ++tf.back()[w];
        for (const auto& [w, c] : tf.back())
            ++df[w], total += c;
    }
    const double n = static_cast<double>(pool.size()), avgdl = total / n;
    std::vector<float> out(pool.size(), 0.0f);
    for (const auto& term : split(query)) {
        if (!df.count(term))
            continue;
        const double idf = std::log(1.0 + (n - df[term] + 0.5) / (df[term] + 0.5));
        for (size_t i = 0; i < pool.size(); ++i) {
            double len = 0;
            for (const auto& [w, c] : tf[i])
                len += c;
            if (const auto t = tf[i].find(term); t != tf[i].end())
                out[i] += static_cast<float>(idf * t->second * 2.2 / (t->second + 1.2 * (0.25 + 0.75 * len / avgdl)));
        }
    }
    return out;
}

std::string randomWords(std::mt19937& rng, int count) {
    static const char* vocab[] = {"kappa", "lambda", "sigma", "omega", "delta", "gamma", "theta", "zeta"};
    std::string s;
    for (int i = 0; i < count; ++i)
        s += std::string(i ? " " : "") + vocab[rng() % 8];
    return s;
}
} // namespace

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
        paper.paragraphs = {{"A", "bird", {}, {}},
                            {"A", "dog fish", {}, {}},
                            {"B", "cat cat dog", {}, {}},
                            {"B", "nothing here", {}, {}}};
        Bm25Retriever bm25;
        const auto r = bm25.rank(RetrievalQuery{"q", "cat dog", &paper});
        QCOMPARE(r.order, (std::vector<int>{2, 1, 0, 3})); // zero scores keep document order
        QCOMPARE(r.scores.size(), size_t(4));
        QVERIFY(r.scores[0] > r.scores[1]);
        QCOMPARE(r.scores[3], 0.0f);
        QVERIFY(r.latencyMs >= 0);
    }

    // The pool is indexed once and reused by every question on it; each ranking equals the
    // term-by-term reference bit for bit (the index sums a document's terms in query order).
    void indexedRankingEqualsTheReference() {
        std::mt19937 rng(7);
        Paper paper;
        std::vector<std::string> texts;
        for (int i = 0; i < 300; ++i) {
            texts.push_back(randomWords(rng, 1 + static_cast<int>(rng() % 30)));
            paper.paragraphs.push_back({"S", texts.back(), {}, {}});
        }
        Bm25Retriever bm25;
        for (int q = 0; q < 20; ++q) {
            const std::string query = randomWords(rng, 1 + q % 5);
            const auto expected = referenceScores(texts, query);
            const auto r = bm25.rank(RetrievalQuery{"q", query, &paper});
            QCOMPARE(r.order, sortByScore(expected));
            for (size_t k = 0; k < r.order.size(); ++k)
                QCOMPARE(r.scores[k], expected[static_cast<size_t>(r.order[k])]);
        }
        const double prepared = bm25.preparationMs();
        QVERIFY(prepared > 0);
        bm25.rank(RetrievalQuery{"q", "kappa", &paper});
        QCOMPARE(bm25.preparationMs(), prepared); // indexed once
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

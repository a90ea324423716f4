// The embedding map's projection (uae/projection.h) against known answers, and the map's items,
// links and colours (uae/embedding_map.h) on a hand-made split.
#include "uae/embedding_map.h"
#include "uae/encoder.h"
#include "uae/evaluation.h"
#include "uae/projection.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <QtTest>

#include <atomic>
#include <cmath>

using namespace uae;

namespace {

// A unit vector of `dim` with the given non-zero components (normalised here).
std::vector<double> unit(int dim, const std::vector<std::pair<int, double>>& parts) {
    std::vector<double> v(dim, 0.0);
    double norm = 0;
    for (auto [i, x] : parts)
        norm += x * x;
    for (auto [i, x] : parts)
        v[i] = x / std::sqrt(norm);
    return v;
}

// Points mean + a * u + b * v on a grid a in {-3, -1, 1, 3} x b in {-1, 1}: variance along u
// (sample, n - 1) is 5 * 8 / 7, along v 8 / 7, nothing elsewhere.
std::vector<float> gridPoints(const std::vector<double>& u, const std::vector<double>& v, double offset,
                              std::vector<std::pair<double, double>>& ab) {
    std::vector<float> rows;
    for (double a : {-3.0, -1.0, 1.0, 3.0})
        for (double b : {-1.0, 1.0}) {
            ab.push_back({a, b});
            for (size_t c = 0; c < u.size(); ++c)
                rows.push_back(float(offset + a * u[c] + b * v[c]));
        }
    return rows;
}

double dot(const std::vector<double>& x, const std::vector<double>& y) {
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i)
        s += x[i] * y[i];
    return s;
}

// Encodes a text as a fixed vector of its length: deterministic, no model needed.
class LengthEncoder final : public Encoder {
public:
    std::string name() const override { return "length"; }
    std::string configJson() const override { return "{}"; }
    int dim() const override { return 3; }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override {
        std::vector<float> out;
        for (const auto& t : texts)
            out.insert(out.end(), {float(t.size()), role == EncodeRole::Query ? 1.f : 0.f, float(t.size() % 3)});
        return out;
    }
};

// Two papers (3 and 2 paragraphs) and three questions; the third asks about paper 1.
Dataset handMadeSplit() {
    Dataset d;
    d.name = "hand";
    d.papers.resize(2);
    d.papers[0].id = "p0";
    d.papers[0].paragraphs = {{"s", "alpha", {}, {}}, {"s", "beta beta", {}, {}}, {"s", "gamma gamma gamma", {}, {}}};
    d.papers[1].id = "p1";
    d.papers[1].paragraphs = {{"s", "delta", {}, {}}, {"s", "epsilon!", {}, {}}};
    d.questions.resize(3);
    d.questions[0] = {"q0", "what is beta?", 0, {}, {1}};
    d.questions[1] = {"q1", "and gamma?", 0, {}, {2, 0}};
    d.questions[2] = {"q2", "delta?", 1, {}, {}};
    return d;
}

} // namespace

class TestProjection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pcaKnownAnswer_data() {
        QTest::addColumn<int>("dim");
        QTest::addColumn<double>("offset");
        QTest::newRow("3-d, centred") << 3 << 0.0;
        QTest::newRow("10-d, offset") << 10 << 2.5;
        QTest::newRow("384-d, offset") << 384 << -0.7;
    }
    void pcaKnownAnswer() {
        QFETCH(int, dim);
        QFETCH(double, offset);
        const auto u = unit(dim, {{0, 1.0}, {dim - 1, 2.0}}); // largest component positive: the sign kept
        const auto v = unit(dim, {{1, 3.0}, {dim - 1, -1.5}, {0, 3.0}});
        const auto vOrth = [&] { // v made orthogonal to u, then normalised
            auto w = v;
            const double d = dot(u, v);
            for (int i = 0; i < dim; ++i)
                w[i] -= d * u[i];
            const double n = std::sqrt(dot(w, w));
            for (double& x : w)
                x /= n;
            return w;
        }();
        std::vector<std::pair<double, double>> ab;
        const auto rows = gridPoints(u, vOrth, offset, ab);
        const auto p = projectPca(rows, dim);
        QVERIFY2(p, p.error().c_str());
        QVERIFY(std::abs(p->variance[0] - 40.0 / 7) < 1e-4);
        QVERIFY(std::abs(p->variance[1] - 8.0 / 7) < 1e-4);
        QVERIFY(std::abs(p->totalVariance - 48.0 / 7) < 1e-4);
        QVERIFY(std::abs(std::abs(dot(p->axes[0], u)) - 1) < 1e-6);
        QVERIFY(std::abs(std::abs(dot(p->axes[1], vOrth)) - 1) < 1e-6);
        const double sx = dot(p->axes[0], u) > 0 ? 1 : -1, sy = dot(p->axes[1], vOrth) > 0 ? 1 : -1;
        QCOMPARE(sx, 1.0); // u's largest component is positive, so is the axis's
        for (size_t i = 0; i < ab.size(); ++i) {
            QVERIFY(std::abs(p->xy[2 * i] - sx * ab[i].first) < 1e-4);
            QVERIFY(std::abs(p->xy[2 * i + 1] - sy * ab[i].second) < 1e-4);
        }
    }

    void eigenvectorsOfKnownMatrix() {
        // [[2, 1, 0], [1, 2, 0], [0, 0, 0.5]]: eigenvalues 3 ((1,1,0)/sqrt 2), 1 ((1,-1,0)/sqrt 2), 0.5.
        const std::vector<double> a{2, 1, 0, 1, 2, 0, 0, 0, 0.5};
        const Eigen e = topEigenvectors(a, 3, 2);
        QCOMPARE(int(e.values.size()), 2);
        QVERIFY(std::abs(e.values[0] - 3) < 1e-9);
        QVERIFY(std::abs(e.values[1] - 1) < 1e-9);
        const double r = 1 / std::sqrt(2.0);
        QVERIFY(std::abs(e.vectors[0][0] - r) < 1e-6 && std::abs(e.vectors[0][1] - r) < 1e-6);
        QVERIFY(std::abs(std::abs(e.vectors[1][0]) - r) < 1e-6 && std::abs(e.vectors[1][2]) < 1e-6);
    }

    void pcaRefusesBadInput_data() {
        QTest::addColumn<QVector<float>>("rows");
        QTest::addColumn<int>("dim");
        QTest::addColumn<QString>("message");
        QTest::newRow("one point") << QVector<float>{1, 2} << 2 << "at least two points";
        QTest::newRow("ragged") << QVector<float>{1, 2, 3} << 2 << "not rows of 2";
        QTest::newRow("nan") << QVector<float>{1, 2, 3, NAN} << 2 << "row 1 holds a NaN";
    }
    void pcaRefusesBadInput() {
        QFETCH(QVector<float>, rows);
        QFETCH(int, dim);
        QFETCH(QString, message);
        const auto p = projectPca(std::vector<float>(rows.begin(), rows.end()), dim);
        QVERIFY(!p);
        QVERIFY2(QString::fromStdString(p.error()).contains(message), p.error().c_str());
    }

    void pcaCancels() {
        std::atomic<bool> stop{true};
        JobContext ctx;
        ctx.cancelFlag = &stop;
        const auto p = projectPca(std::vector<float>(200, 1.f), 4, &ctx);
        QVERIFY(!p);
        QCOMPARE(QString::fromStdString(p.error()), QString("cancelled"));
    }

    void mapItemsAndLinks() {
        const Dataset d = handMadeSplit();
        auto map = buildEmbeddingMap(
            d, {"a", "b"}, {std::make_shared<LengthEncoder>(), std::make_shared<LengthEncoder>()}, 0, JobContext{});
        QVERIFY2(map, map.error().c_str());
        QCOMPARE(int(map->items.size()), 5 + 3);
        QCOMPARE(int(map->layers.size()), 2);
        QCOMPARE(int(map->layers[1].projection.xy.size()), 2 * 8);
        QCOMPARE(map->itemOfParagraph(1, 1), 4);
        QCOMPARE(map->itemOfParagraph(1, 2), -1);
        QCOMPARE(map->itemOfQuestion(2), 7);
        QuestionResult top;
        top.order = {0, 2, 1};
        const auto links = mapLinks(*map, d, 1, {nullptr, &top});
        QCOMPARE(int(links.size()), 3); // gold 2, gold 0, top-1 of ranking 1
        QCOMPARE(links[0].to, 2);
        QCOMPARE(links[1].to, 0);
        QVERIFY(links[2].kind == MapLinkKind::Top1 && links[2].ranking == 1 && links[2].to == 0 && links[2].from == 6);
    }

    void mapLimitLeavesOtherPapersOut() {
        const Dataset d = handMadeSplit();
        const EmbeddingMap map = mapItems(d, 2);
        QCOMPARE(int(map.items.size()), 3 + 2); // paper 0's paragraphs, two questions
        QCOMPARE(map.itemOfQuestion(2), -1);
        QCOMPARE(map.itemOfParagraph(1, 0), -1);
        QVERIFY(mapLinks(map, d, 2, {}).empty());
    }

    void utilitiesTakeTheHighest() {
        const Dataset d = handMadeSplit();
        const EmbeddingMap map = mapItems(d);
        const std::vector<LabelRow> labels{{"q0", 1, 0.2}, {"q1", 1, 0.7}, {"q2", 0, 0.4}, {"gone", 0, 1.0}};
        const auto u = itemUtilities(map, d, labels);
        QCOMPARE(u[1], 0.7f);
        QCOMPARE(u[3], 0.4f);
        QVERIFY(std::isnan(u[0]) && std::isnan(u[5]));
    }

    void mapCancels() {
        std::atomic<bool> stop{true};
        JobContext ctx;
        ctx.cancelFlag = &stop;
        const auto map = buildEmbeddingMap(handMadeSplit(), {"a"}, {std::make_shared<LengthEncoder>()}, 0, ctx);
        QVERIFY(!map);
        QCOMPARE(QString::fromStdString(map.error()), QString("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"

#include "uae/uae_loss.h"

#include <QtTest>

#include <cmath>

using namespace uae;

namespace {

LossGroup group() {
    LossGroup g;
    g.cosines = {0.31, 0.12, -0.05, 0.22, 0.4, -0.2}; // 4 own candidates, 2 in-batch negatives
    g.own = 4;
    g.utilities = {0.05, 0.30, -0.10, 0.12};
    g.gold = {false, true, false, false};
    return g;
}

std::vector<double> softmax(const std::vector<double>& x) {
    double m = *std::max_element(x.begin(), x.end()), sum = 0;
    std::vector<double> p;
    for (double v : x)
        sum += std::exp(v - m);
    for (double v : x)
        p.push_back(std::exp(v - m) / sum);
    return p;
}

} // namespace

class TestUaeLoss : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneHotTeacherIsPlainInfoNce() {
        LossGroup g = group();
        g.utilities = {0.0, 1.0, 0.0, 0.0}; // with tau_T 0.001 the teacher is one-hot on candidate 1
        UaeLossConfig soft{UaeLoss::Soft, 0.02, 0.001};
        UaeLossConfig goldOnly{UaeLoss::GoldOnly, 0.02, 0.001};
        const double a = uaeLoss(g, soft).loss, b = uaeLoss(g, goldOnly).loss;
        double sum = 0;
        for (double c : g.cosines)
            sum += std::exp(c / 0.02);
        const double infoNce = -(g.cosines[1] / 0.02 - std::log(sum));
        QVERIFY2(std::fabs(a - infoNce) < 1e-9, qPrintable(QString("%1 vs %2").arg(a).arg(infoNce)));
        QVERIFY(std::fabs(b - infoNce) < 1e-9);
    }

    void gradientMatchesFiniteDifferences_data() {
        QTest::addColumn<int>("variant");
        QTest::newRow("soft") << int(UaeLoss::Soft);
        QTest::newRow("masked") << int(UaeLoss::Masked);
        QTest::newRow("hybrid") << int(UaeLoss::Hybrid);
        QTest::newRow("gold only") << int(UaeLoss::GoldOnly);
    }
    void gradientMatchesFiniteDifferences() {
        QFETCH(int, variant);
        UaeLossConfig c;
        c.variant = static_cast<UaeLoss>(variant);
        c.lambda = 0.7;
        const LossGroup g = group();
        const auto v = uaeLoss(g, c);
        const double h = 1e-6;
        for (size_t i = 0; i < g.cosines.size(); ++i) {
            LossGroup up = g, down = g;
            up.cosines[i] += h;
            down.cosines[i] -= h;
            const double numeric = (uaeLoss(up, c).loss - uaeLoss(down, c).loss) / (2 * h);
            QVERIFY2(
                std::fabs(numeric - v.gradCosines[i]) < 1e-5 * std::max(1.0, std::fabs(numeric)),
                qPrintable(QString("cosine %1: autograd %2, numeric %3").arg(i).arg(v.gradCosines[i]).arg(numeric)));
        }
    }

    void teacherEqualToStudentIsTheKlMinimum() {
        LossGroup g = group();
        g.cosines.resize(4); // no negatives: both distributions live on the own candidates
        const UaeLossConfig c;
        g.utilities.clear();
        for (double cs : g.cosines)
            g.utilities.push_back(cs / c.tauS * c.tauT); // u / tau_T == s
        const auto at = uaeLoss(g, c);
        QVERIFY(std::fabs(at.kl) < 1e-12);
        for (double d : at.gradCosines)
            QVERIFY(std::fabs(d) < 1e-9); // dL/ds = p_S - p_T = 0
        for (size_t i = 0; i < g.cosines.size(); ++i) {
            LossGroup moved = g;
            moved.cosines[i] += 0.01;
            const auto v = uaeLoss(moved, c);
            QVERIFY(v.kl > 0);
            QVERIFY(v.loss > at.loss);
        }
    }

    // Masked: for target i, candidates with more teacher mass leave the denominator; in-batch
    // negatives (mass 0) always stay. Written out by hand here.
    void maskingRemovesExactlyThePreferredCandidates() {
        const LossGroup g = group();
        const UaeLossConfig c{UaeLoss::Masked};
        std::vector<double> u;
        for (double x : g.utilities)
            u.push_back(x / c.tauT);
        const auto pt = softmax(u);
        double expected = 0;
        for (int i = 0; i < g.own; ++i) {
            double denom = 0;
            for (size_t j = 0; j < g.cosines.size(); ++j) {
                const double ptj = j < static_cast<size_t>(g.own) ? pt[j] : 0.0;
                if (ptj <= pt[static_cast<size_t>(i)])
                    denom += std::exp(g.cosines[j] / c.tauS);
            }
            expected -= pt[static_cast<size_t>(i)] * (g.cosines[static_cast<size_t>(i)] / c.tauS - std::log(denom));
        }
        QVERIFY(std::fabs(uaeLoss(g, c).loss - expected) < 1e-9);
        // The candidate the teacher likes best (1) keeps the full denominator; the least liked (2)
        // competes only with itself and the negatives.
        QVERIFY(uaeLoss(g, c).loss < uaeLoss(g, UaeLossConfig{UaeLoss::Soft}).loss);
    }

    void noGoldMeansNoGoldTerm() {
        LossGroup g = group();
        g.gold = {false, false, false, false};
        QCOMPARE(uaeLoss(g, UaeLossConfig{UaeLoss::GoldOnly}).loss, 0.0);
        const auto hybrid = uaeLoss(g, UaeLossConfig{UaeLoss::Hybrid, 0.02, 0.1, 2.0});
        QVERIFY(std::fabs(hybrid.loss - 2.0 * hybrid.kl) < 1e-12);
    }

    void names() {
        UaeLoss l;
        QVERIFY(parseUaeLoss("masked", l) && l == UaeLoss::Masked);
        QVERIFY(!parseUaeLoss("contrastive", l));
    }
};

QTEST_GUILESS_MAIN(TestUaeLoss)
#include "tst_uae_loss.moc"

// Where the teacher temperature acts: uae::detail::batchTargets (train_common.h, private). Row b of a
// batch's teacher is softmax(u / tau_T) over question b's own candidates and 0 over every other
// question's (its in-batch negatives), and sums to 1; gold marks only b's own gold candidates.
// LibTorch first: Qt's keyword macros must not reach its headers.
#include "train_common.h"

#include <QtTest>

#include <cmath>

using namespace uae;
using uae::detail::TrainGroup;

namespace {

TrainGroup group(std::int64_t question, std::vector<double> utilities, std::vector<bool> gold) {
    TrainGroup g;
    g.question = question;
    for (size_t i = 0; i < utilities.size(); ++i)
        g.paragraphs.push_back(static_cast<int>(10 * question + static_cast<std::int64_t>(i)));
    g.utilities = std::move(utilities);
    g.gold = std::move(gold);
    return g;
}

// Computed here in double, independently of LibTorch.
std::vector<double> softmax(const std::vector<double>& u, double tau) {
    double top = u[0], sum = 0;
    for (double x : u)
        top = std::max(top, x);
    std::vector<double> p;
    for (double x : u)
        sum += std::exp((x - top) / tau);
    for (double x : u)
        p.push_back(std::exp((x - top) / tau) / sum);
    return p;
}

// Groups of different sizes, utilities far apart and close together, a negative one.
std::vector<TrainGroup> groups() {
    return {group(0, {0.30, 0.10, -0.05}, {true, false, false}), group(1, {0.02, 0.01}, {false, true}),
            group(2, {0.5, 0.45, 0.2, -0.3}, {false, false, true, true}),
            group(3, {-0.1, -0.2, -0.15}, {false, false, false})};
}

} // namespace

class TestTrainTargets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void teacherRows_data() {
        QTest::addColumn<double>("tauT");
        QTest::addColumn<int>("begin");
        QTest::addColumn<int>("end");
        for (double tau : {0.05, 1.0})
            for (auto [b, e] : {std::pair{0, 4}, std::pair{1, 3}})
                QTest::addRow("tau %g, batch [%d, %d)", tau, b, e) << tau << b << e;
    }
    void teacherRows() {
        QFETCH(double, tauT);
        QFETCH(int, begin);
        QFETCH(int, end);
        const auto all = groups();
        const std::vector<size_t> order{2, 0, 3, 1}; // a shuffled epoch
        const auto t = uae::detail::batchTargets(all, order, size_t(begin), size_t(end), tauT);
        const std::int64_t rows = end - begin;
        std::int64_t width = 0;
        for (int e = begin; e < end; ++e)
            width += static_cast<std::int64_t>(all[order[size_t(e)]].paragraphs.size());
        QCOMPARE(t.teacher.sizes().vec(), (std::vector<std::int64_t>{rows, width}));
        QCOMPARE(t.gold.sizes().vec(), (std::vector<std::int64_t>{rows, width}));
        QCOMPARE(t.teacher.scalar_type(), torch::kFloat);
        QCOMPARE(t.groups.size(), size_t(rows));
        const auto teacher = t.teacher.contiguous();
        const auto gold = t.gold.contiguous();
        std::int64_t offset = 0;
        for (std::int64_t b = 0; b < rows; ++b) {
            const TrainGroup& g = all[order[size_t(begin + b)]];
            QCOMPARE(t.groups[size_t(b)], &g); // rows follow the order given
            const auto k = static_cast<std::int64_t>(g.utilities.size());
            const auto p = softmax(g.utilities, tauT);
            double sum = 0;
            for (std::int64_t c = 0; c < width; ++c) {
                const double got = teacher[b][c].item<double>();
                const bool own = c >= offset && c < offset + k;
                const double want = own ? p[size_t(c - offset)] : 0.0;
                QVERIFY2(std::fabs(got - want) < 1e-6,
                         qPrintable(QString("row %1 column %2: %3, expected %4").arg(b).arg(c).arg(got).arg(want)));
                QCOMPARE(gold[b][c].item<bool>(), own && g.gold[size_t(c - offset)]);
                sum += got;
            }
            QVERIFY2(std::fabs(sum - 1.0) < 1e-6, qPrintable(QString("row %1 sums to %2").arg(b).arg(sum)));
            offset += k;
        }
    }

    // The temperature sharpens: a lower tau_T puts more mass on each row's best candidate.
    void lowerTemperatureIsSharper() {
        const auto all = groups();
        const std::vector<size_t> order{0, 1, 2, 3};
        const auto hot = uae::detail::batchTargets(all, order, 0, 4, 1.0).teacher;
        const auto cold = uae::detail::batchTargets(all, order, 0, 4, 0.05).teacher;
        const auto hotMax = std::get<0>(hot.max(1)), coldMax = std::get<0>(cold.max(1));
        for (std::int64_t b = 0; b < 4; ++b)
            QVERIFY2(coldMax[b].item<double>() > hotMax[b].item<double>(), qPrintable(QString("row %1").arg(b)));
        // Group 0's utilities 0.30 vs 0.10 at tau 0.05: exp(4) times more on the first.
        QVERIFY(std::fabs(cold[0][0].item<double>() / cold[0][1].item<double>() - std::exp(4.0)) <
                1e-3 * std::exp(4.0));
    }
};

QTEST_GUILESS_MAIN(TestTrainTargets)
#include "tst_train_targets.moc"

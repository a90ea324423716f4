// Teacher diagnostics (teacher_diagnostics.h): the rank agreement of a teacher with an encoder's
// similarities on hand-checkable teachers (the encoder's own similarities give 1, their negation
// -1), its BM25 case equal to the label job's own statistic, and `diagnose` storing one metric per
// encoder with the label run, found again from a training run on those labels.
#include "uae/bm25.h"
#include "uae/job_eval.h"
#include "uae/qasper.h"
#include "uae/retriever.h"
#include "uae/scorer_dirichlet.h"
#include "uae/teacher_diagnostics.h"
#include "uae/workspace.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace uae;

namespace {

const std::string kBertTiny = UAE_TEST_DATA_DIR "/bert-tiny";

Result<std::unique_ptr<Retriever>> retrieverFor(const std::string& method) {
    EvalJobConfig c;
    c.method = method;
    c.modelPath = method == "bert" ? kBertTiny : std::string();
    c.device = "cpu";
    return makeRetriever(c);
}

// A teacher whose utilities are `sign` times the retriever's scores of every paragraph.
std::vector<LabelRow> labelsFrom(const Dataset& data, Retriever& retriever, double sign) {
    std::vector<LabelRow> rows;
    for (const Question& q : data.questions) {
        const Ranking r = retriever.rank(RetrievalQuery{q.id, q.text, &data.paperOf(q)});
        for (size_t k = 0; k < r.order.size(); ++k)
            rows.push_back(LabelRow{q.id, r.order[k], sign * r.scores[k], 0, 0});
    }
    return rows;
}

// Questions whose paper has 3+ paragraphs: those an agreement is measured on.
long correlatable(const Dataset& data) {
    long n = 0;
    for (const Question& q : data.questions)
        n += data.paperOf(q).paragraphs.size() >= 3 ? 1 : 0;
    return n;
}

// Of those, the questions whose labels are not all equal (a constant list correlates 0).
long varied(const Dataset& data, const std::vector<LabelRow>& labels) {
    long n = 0;
    for (const Question& q : data.questions) {
        std::vector<double> u;
        for (const auto& l : labels)
            if (l.question == q.id)
                u.push_back(l.utility);
        n += u.size() >= 3 && std::adjacent_find(u.begin(), u.end(), std::not_equal_to<>()) != u.end() ? 1 : 0;
    }
    return n;
}

} // namespace

class TestTeacherDiagnostics : public QObject {
    Q_OBJECT
    Dataset m_data;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY2(d.ok(), d.error().c_str());
        m_data = std::move(d.value());
        QVERIFY(correlatable(m_data) > 0);
    }

    void ownSimilarities_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<double>("sign");
        QTest::addColumn<long>("constant"); // questions whose scores are all equal: they count 0
        QTest::newRow("bert-tiny's own cosine: 1") << "bert" << 1.0 << 0L;
        QTest::newRow("bert-tiny's reversed: -1") << "bert" << -1.0 << 0L;
        // One fixture question's BM25 scores are all equal (the constant case counts 0).
        QTest::newRow("bm25's own scores: 5/6") << "bm25" << 1.0 << 1L;
        QTest::newRow("bm25's reversed: -5/6") << "bm25" << -1.0 << 1L;
    }

    void ownSimilarities() {
        QFETCH(QString, method);
        QFETCH(double, sign);
        QFETCH(long, constant);
        auto teacher = retrieverFor(method.toStdString());
        QVERIFY2(teacher.ok(), teacher.error().c_str());
        const auto labels = labelsFrom(m_data, *teacher.value(), sign);
        auto student = retrieverFor(method.toStdString()); // a fresh one: nothing shared but the model
        const RankAgreement a = rankAgreement(m_data, labels, *student.value(), JobContext{});
        QCOMPARE(a.questions, correlatable(m_data));
        QCOMPARE(correlatable(m_data) - varied(m_data, labels), constant);
        const double expected = sign * double(a.questions - constant) / double(a.questions);
        QVERIFY2(std::abs(a.meanSpearman - expected) < 1e-9, QByteArray::number(a.meanSpearman));
    }

    // The BM25 agreement the label job stores is rankAgreement with BM25.
    void bm25MatchesTheLabelJobs() {
        ScorerDirichlet scorer;
        std::vector<LabelRow> labels;
        for (const Question& q : m_data.questions) {
            const Paper& paper = m_data.paperOf(q);
            std::vector<std::string> passages{std::string()};
            for (const auto& p : paper.paragraphs)
                passages.push_back(p.text);
            scorer.preparePaper(paper);
            const auto nll = scorer.answerNll(q.text, q.text, passages); // any answer will do
            for (size_t i = 1; i < nll.size(); ++i)
                labels.push_back(LabelRow{q.id, int(i - 1), nll[0] - nll[i], 0, 0});
        }
        const TeacherStats stats = teacherStats(m_data, labels, 0.1);
        Bm25Retriever bm25;
        const RankAgreement a = rankAgreement(m_data, labels, bm25, JobContext{});
        QCOMPARE(a.questions, stats.correlated);
        QVERIFY(std::abs(a.meanSpearman - stats.meanSpearmanBm25) < 1e-12);
    }

    void cancelledStoresNothing() {
        std::atomic<bool> stop{true};
        JobContext ctx;
        ctx.cancelFlag = &stop;
        Bm25Retriever bm25;
        const RankAgreement a = rankAgreement(m_data, labelsFrom(m_data, bm25, 1.0), bm25, ctx);
        QVERIFY(a.cancelled);
        QCOMPARE(a.questions, 0L);
    }

    void metricsRoundTrip() {
        TeacherStats s;
        s.questions = 10, s.withGold = 9, s.goldTop = 8, s.meanMaxProbability = 0.8, s.meanSpearmanBm25 = 0.03;
        std::vector<MetricPoint> points;
        for (const auto& [name, value] : teacherStatsMetrics(s))
            points.push_back(MetricPoint{0, name, value});
        points.push_back(MetricPoint{0, encoderMetricName("b"), 0.5});
        points.push_back(MetricPoint{0, encoderQuestionsMetricName("b"), 7});
        points.push_back(MetricPoint{0, encoderMetricName("a"), 0.1});
        points.push_back(MetricPoint{0, encoderMetricName("a"), 0.2}); // computed again: the newest wins
        const TeacherDiagnostics d = diagnosticsFromMetrics(points);
        QVERIFY(d.hasStats && d.hasSpearmanBm25);
        QCOMPARE(d.stats.goldTop, 8L);
        QCOMPARE(d.goldTopShare(), 8.0 / 9.0);
        QCOMPARE(d.encoders.size(), size_t(2));
        QCOMPARE(d.encoders[0].encoder, std::string("a"));
        QCOMPARE(d.encoders[0].meanSpearman, 0.2);
        QCOMPARE(d.encoders[1].questions, 7L);
    }

    // uae diagnose: stored with the label run under the encoder's name, computed again in place,
    // found from a training run on those labels; an eval run has none.
    void diagnoseStoresPerEncoder() {
        auto ws = Workspace::open(QDir(m_dir.path()).filePath("ws.db").toStdString());
        QVERIFY2(ws.ok(), ws.error().c_str());
        LabelJobConfig lc;
        lc.split = "fixture";
        lc.dataPath = UAE_TEST_DATA_DIR "/qasper";
        const auto labelled = ws.value()->label(lc, JobContext{});
        QCOMPARE(labelled.status, RunStatus::Finished);
        DiagnoseConfig dc;
        dc.run = labelled.runId;
        dc.encoder = "bert";
        dc.model = kBertTiny;
        dc.device = "cpu";
        for (int pass = 0; pass < 2; ++pass) {
            auto d = ws.value()->diagnose(dc, JobContext{});
            QVERIFY2(d.ok(), d.error().c_str());
            QCOMPARE(d->encoders.size(), size_t(1));
            QCOMPARE(d->encoders[0].encoder, std::string("bert-tiny"));
            QCOMPARE(d->encoders[0].questions, labelled.stats.correlated);
            QCOMPARE(d->stats.goldTop, labelled.stats.goldTop);
        }
        auto metrics = ws.value()->store().metrics(labelled.runId);
        QCOMPARE(std::count_if(metrics->begin(), metrics->end(),
                               [](const MetricPoint& m) { return m.name == "spearman_encoder:bert-tiny"; }),
                 1L);
        QCOMPARE(QDir(QString::fromStdString(ws.value()->cacheDir())).entryList({"*.emb"}).size(), 1);

        TrainConfig tc;
        tc.split = "fixture";
        auto train = ws.value()->store().beginRun(RunKind::Train, "uae", "fixture", tc.toJson(), "cpu");
        auto viaTrain = ws.value()->teacherDiagnostics(train.value());
        QVERIFY2(viaTrain.ok(), viaTrain.error().c_str());
        QCOMPARE(viaTrain->labelRun.id, labelled.runId);
        QCOMPARE(viaTrain->forTrainRun, train.value());
        QCOMPARE(viaTrain->encoders.size(), size_t(1));

        auto eval = ws.value()->store().beginRun(RunKind::Eval, "bm25", "fixture", "{}", "cpu");
        QVERIFY(!ws.value()->teacherDiagnostics(eval.value()).ok());
        dc.encoder = "no-such-method";
        QVERIFY(!ws.value()->diagnose(dc, JobContext{}).ok());
    }
};

QTEST_GUILESS_MAIN(TestTeacherDiagnostics)
#include "tst_teacher_diagnostics.moc"

#include "uae/job_label.h"
#include "uae/qasper.h"
#include "uae/scorer_dirichlet.h"
#include "uae/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace uae;

namespace {

Dataset fixture() {
    auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d.value());
}

std::set<std::tuple<std::string, int, double>> labelSet(Store& s, const LabelKey& key) {
    std::set<std::tuple<std::string, int, double>> out;
    for (const auto& l : s.labels(key, "fixture").value())
        out.emplace(l.question, l.paragraph, l.utility);
    return out;
}

} // namespace

class TestUtility : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    // Paper "cat dog" | "fish": |P| = 3, |V| = 3, pC(dog) = 1.5 / (3 + 0.5 * 4) = 0.3; mu = 2.
    // Without passage, d = [cat]:          p(dog) = 0.6 / 3          -> NLL = -ln 0.2
    // With "cat dog", d = [cat, cat, dog]:  p(dog) = (1 + 0.6) / 5   -> NLL = -ln 0.32
    // With "fish",    d = [cat, fish]:      p(dog) = 0.6 / 4         -> NLL = -ln 0.15
    void dirichletHandComputed() {
        Paper paper;
        paper.paragraphs = {{"s", "cat dog", {}, {}}, {"s", "fish", {}, {}}};
        ScorerDirichlet scorer(DirichletConfig{2.0});
        scorer.preparePaper(paper);
        QCOMPARE(scorer.collectionProbability("dog"), 0.3);
        QCOMPARE(scorer.collectionProbability("bird"), 0.1);
        const auto nll = scorer.answerNll("The cat?", "dog", {"", "cat dog", "fish"});
        QCOMPARE(nll.size(), size_t(3));
        QVERIFY(qAbs(nll[0] + std::log(0.2)) < 1e-12);
        QVERIFY(qAbs(nll[1] + std::log(0.32)) < 1e-12);
        QVERIFY(qAbs(nll[2] + std::log(0.15)) < 1e-12);
        QCOMPARE(QString::fromStdString(scorer.promptVersion()), QString("dirichlet-v1:mu=2"));
    }

    void teacherIsSoftmaxOverTau() {
        const auto p = teacherDistribution({0.0, 0.1 * std::log(3.0)}, 0.1);
        QVERIFY(qAbs(p[0] - 0.25) < 1e-12 && qAbs(p[1] - 0.75) < 1e-12);
        const auto big = teacherDistribution({1000.0, 999.0}, 0.01); // no overflow
        QVERIFY(big[0] > 0.99 && std::isfinite(big[1]));
    }

    void answersSkipUnanswerable() {
        const Dataset d = fixture();
        QCOMPARE(utilityAnswers(*d.findQuestion("q2")), (std::vector<std::string>{"Yes"}));
        QVERIFY(utilityAnswers(*d.findQuestion("q5")).empty());
        QCOMPARE(utilityAnswers(*d.findQuestion("q1")).size(), size_t(2));
    }

    void labelJobStoresAndResumes() {
        const Dataset d = fixture();
        auto clean = Store::open(m_dir.filePath("clean.db").toStdString()).value();
        ScorerDirichlet scorer;
        LabelJobConfig config;
        config.split = "fixture";
        const auto r = runLabelJob(*clean, d, scorer, config, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Finished);
        QCOMPARE(r.labeledNow, 7L);
        QCOMPARE(r.skippedUnanswerable, 1L);
        const LabelKey key{scorer.name(), scorer.promptVersion()};
        // Every candidate of the six answerable questions: 4 + 4 + 4 + 3 + 3 + 2 paragraphs.
        QCOMPARE(clean->labels(key, "fixture")->size(), size_t(20));
        QCOMPARE(r.stats.questions, 6L);
        // Nothing left to do the second time.
        const auto again = runLabelJob(*clean, d, scorer, config, JobContext{});
        QCOMPARE(again.labeledNow, 0L);
        QCOMPARE(again.alreadyLabeled, 7L);
        QCOMPARE(clean->labels(key, "fixture")->size(), size_t(20));

        // Cancelled after two questions, then resumed: the same labels as the clean run.
        auto resumed = Store::open(m_dir.filePath("resumed.db").toStdString()).value();
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) { cancel = p.done >= 2; };
        const auto partial = runLabelJob(*resumed, d, scorer, config, ctx);
        QCOMPARE(partial.status, uae::RunStatus::Cancelled);
        QCOMPARE(partial.labeledNow, 2L);
        QCOMPARE(resumed->run(partial.runId)->status, uae::RunStatus::Cancelled);
        const auto rest = runLabelJob(*resumed, d, scorer, config, JobContext{});
        QCOMPARE(rest.labeledNow, 5L);
        QCOMPARE(labelSet(*resumed, key), labelSet(*clean, key));
    }

    void gradedByBm25TopK() {
        const Dataset d = fixture();
        auto store = Store::open(m_dir.filePath("topk.db").toStdString()).value();
        ScorerDirichlet scorer(DirichletConfig{50});
        LabelJobConfig config;
        config.split = "fixture";
        config.topK = 2;
        QCOMPARE(runLabelJob(*store, d, scorer, config, JobContext{}).status, uae::RunStatus::Finished);
        QCOMPARE(store->labels(LabelKey{scorer.name(), scorer.promptVersion()}, "fixture")->size(), size_t(12));
    }

    // Candidates are BM25's top K plus the gold paragraphs: every labelled question's gold is
    // judged by the teacher, whatever BM25 ranks.
    void topKCandidatesIncludeTheGold_data() {
        QTest::addColumn<int>("topK");
        QTest::newRow("top 1") << 1;
        QTest::newRow("top 2") << 2;
    }
    void topKCandidatesIncludeTheGold() {
        QFETCH(int, topK);
        Dataset d = fixture();
        // One question asked in the words of a paragraph that is not its gold, so BM25 ranks that
        // paragraph first and the gold below the top K.
        for (auto& q : d.questions)
            if (!q.gold.empty() && !utilityAnswers(q).empty()) {
                const Paper& paper = d.paperOf(q);
                for (int p = 0; p < static_cast<int>(paper.paragraphs.size()); ++p)
                    if (std::find(q.gold.begin(), q.gold.end(), p) == q.gold.end()) {
                        q.text = paper.paragraphs[static_cast<size_t>(p)].text;
                        break;
                    }
                break;
            }
        auto store = Store::open(m_dir.filePath(QString("gold-%1.db").arg(topK)).toStdString()).value();
        ScorerDirichlet scorer;
        LabelJobConfig config;
        config.split = "fixture";
        config.topK = topK;
        QCOMPARE(runLabelJob(*store, d, scorer, config, JobContext{}).status, uae::RunStatus::Finished);
        std::map<std::string, std::set<int>> byQuestion;
        for (const auto& l : store->labels(LabelKey{scorer.name(), scorer.promptVersion()}, "fixture").value())
            byQuestion[l.question].insert(l.paragraph);
        int withGoldOutsideTopK = 0;
        for (const auto& [id, paragraphs] : byQuestion) {
            const Question* q = d.findQuestion(id);
            QVERIFY(q);
            for (int g : q->gold)
                QVERIFY2(paragraphs.count(g), qPrintable(QString("gold %1 of %2 not labelled").arg(g).arg(id.c_str())));
            QVERIFY(paragraphs.size() <= static_cast<size_t>(topK) + q->gold.size());
            withGoldOutsideTopK += paragraphs.size() > static_cast<size_t>(topK) ? 1 : 0;
        }
        if (topK == 1) // the reworded question's gold came in beside BM25's first paragraph
            QVERIFY(withGoldOutsideTopK > 0);
    }

    void spearmanRankCorrelation_data() {
        QTest::addColumn<QList<double>>("a");
        QTest::addColumn<QList<double>>("b");
        QTest::addColumn<double>("rho");
        QTest::newRow("same order") << QList<double>{1, 2, 3, 4} << QList<double>{10, 20, 25, 90} << 1.0;
        QTest::newRow("reversed") << QList<double>{1, 2, 3, 4} << QList<double>{4, 3, 2, 1} << -1.0;
        // Ranks a: 1 2 3, b: 1.5 1.5 3 (tie) -> r = 0.866025 (Pearson of the ranks).
        QTest::newRow("tie") << QList<double>{1, 2, 3} << QList<double>{5, 5, 9} << std::sqrt(3.0) / 2;
        QTest::newRow("constant") << QList<double>{1, 2, 3} << QList<double>{7, 7, 7} << 0.0;
        QTest::newRow("too short") << QList<double>{1} << QList<double>{2} << 0.0;
    }
    void spearmanRankCorrelation() {
        QFETCH(QList<double>, a);
        QFETCH(QList<double>, b);
        QFETCH(double, rho);
        const double got = spearman(std::vector<double>(a.begin(), a.end()), std::vector<double>(b.begin(), b.end()));
        QVERIFY2(std::fabs(got - rho) < 1e-12, qPrintable(QString::number(got, 'g', 17)));
    }

    // The label job reports the teacher's agreement with BM25 and stores it with the run.
    void labelStatsCorrelateWithBm25() {
        const Dataset d = fixture();
        auto store = Store::open(m_dir.filePath("spearman.db").toStdString()).value();
        ScorerDirichlet scorer;
        LabelJobConfig config;
        config.split = "fixture";
        const auto r = runLabelJob(*store, d, scorer, config, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Finished);
        QVERIFY(r.stats.correlated > 0);
        QVERIFY(r.stats.meanSpearmanBm25 >= -1 && r.stats.meanSpearmanBm25 <= 1);
        bool stored = false;
        for (const auto& m : store->metrics(r.runId).value())
            stored |= m.name == "spearman_bm25" && m.value == r.stats.meanSpearmanBm25;
        QVERIFY(stored);
    }

    void unknownScorerRejected() {
        LabelJobConfig c;
        c.scorer = "oracle";
        QVERIFY(!makeScorer(c).ok());
    }
};

QTEST_GUILESS_MAIN(TestUtility)
#include "tst_utility.moc"

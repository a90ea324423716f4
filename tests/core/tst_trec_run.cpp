// The TREC run importer: malformed files refused with FILE:LINE before anything is stored, ties
// ordered as trec_eval orders them, and our own exports read back to the same rankings and metrics.
#include "uae/bm25.h"
#include "uae/evaluation.h"
#include "uae/export.h"
#include "uae/job_eval.h"
#include "uae/job_import.h"
#include "uae/qasper.h"
#include "uae/store.h"
#include "uae/trec_run.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace uae;

namespace {

Dataset fixture() {
    auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d.value());
}

// "<paperId>#<n>": what `uae export --beir` names paragraphs, in either pool's indices.
DocnoFn beirDocnos(const Dataset& ranked) {
    return [&ranked](const std::string& qid, int index) {
        const Paper& pool = ranked.paperOf(*ranked.findQuestion(qid));
        if (pool.id != kCorpusPaperId)
            return pool.id + "#" + std::to_string(index);
        int local = index;
        while (local > 0 && pool.paragraphs[static_cast<size_t>(local - 1)].paperId ==
                                pool.paragraphs[static_cast<size_t>(index)].paperId)
            --local;
        return pool.paragraphs[static_cast<size_t>(index)].paperId + "#" + std::to_string(index - local);
    };
}

} // namespace

class TestTrecRun : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Dataset m_data = fixture();

    std::string write(const char* name, const std::string& text) {
        const std::string path = m_dir.filePath(name).toStdString();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    Result<TrecRunMapping> read(const std::string& path, bool corpus) {
        auto run = readTrecRun(path);
        if (!run)
            return fail(run.error());
        return mapTrecRun(run.value(), m_data, corpus);
    }

private Q_SLOTS:
    void malformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("corpus");
        QTest::addColumn<int>("line"); // 0: the error names the file only
        QTest::addColumn<QString>("message");
        const QString ok = "q1 Q0 p0 1 2.0 sys\n";
        QTest::newRow("five fields") << ok + "q1 Q0 p1 2 1.0\n" << false << 2 << "expected 6 fields";
        QTest::newRow("seven fields") << "q1 Q0 p1 1 1.0 sys extra\n" << false << 1 << "found 7";
        QTest::newRow("score text") << ok + "\n  \nq1 Q0 p1 2 high sys\n"
                                    << false << 4 << "score 'high' is not a number";
        QTest::newRow("score nan") << ok + "q1 Q0 p1 2 nan sys\n" << false << 2 << "score 'nan' is not finite";
        QTest::newRow("score inf") << ok + "q1 Q0 p1 2 -inf sys\n" << false << 2 << "score '-inf' is not finite";
        QTest::newRow("score two signs") << ok + "q1 Q0 p1 2 +-5 sys\n" << false << 2 << "score '+-5' is not a number";
        QTest::newRow("score beyond float") << ok + "q1 Q0 p1 2 1e39 sys\n"
                                            << false << 2 << "score '1e39' is out of a float's range";
        QTest::newRow("score overflow") << ok + "q1 Q0 p1 2 1e999 sys\n" << false << 2 << "out of range";
        QTest::newRow("score trailing") << ok + "q1 Q0 p1 2 1.5x sys\n" << false << 2 << "not a number";
        QTest::newRow("rank negative") << ok + "q1 Q0 p1 -1 1 sys\n" << false << 2 << "rank '-1' is not an integer";
        QTest::newRow("rank real") << ok + "q1 Q0 p1 1.5 1 sys\n" << false << 2 << "rank '1.5' is not an integer";
        QTest::newRow("unknown qid") << ok + "zz Q0 p1 2 1 sys\n" << false << 2 << "unknown question id 'zz'";
        QTest::newRow("unknown docno") << ok + "q1 Q0 doc7 2 1 sys\n" << false << 2 << "unknown docno 'doc7'";
        QTest::newRow("leading zero") << ok + "q1 Q0 p01 2 1 sys\n" << false << 2 << "unknown docno 'p01'";
        QTest::newRow("unknown paper") << ok + "q1 Q0 1999.9#0 2 1 sys\n" << false << 2 << "unknown docno";
        QTest::newRow("other paper") << ok + "q1 Q0 2001.00002#0 2 1 sys\n"
                                     << false << 2 << "is a paragraph of paper 2001.00002, outside question q1's paper";
        QTest::newRow("past its paper") << ok + "q4 Q0 p3 2 1 sys\n"
                                        << false << 2 << "outside question q4's paper 2001.00002 (3 paragraphs";
        QTest::newRow("past the corpus") << ok + "q4 Q0 p9 2 1 sys\n"
                                         << true << 2 << "outside the split's corpus pool (9 paragraphs";
        QTest::newRow("past a paper's count") << ok + "q1 Q0 2001.00001#4 2 1 sys\n" << true << 2 << "unknown docno";
        QTest::newRow("duplicate") << ok + "q2 Q0 p0 1 1 sys\nq1 Q0 p0 3 0.5 sys\n"
                                   << false << 3 << "duplicate document for question q1: 'p0' (line 1)";
        QTest::newRow("duplicate alias") << ok + "q1 Q0 2001.00001#0 2 1 sys\n"
                                         << false << 2 << "'2001.00001#0' names the same paragraph as 'p0' (line 1)";
        QTest::newRow("duplicate in corpus") << "q7 Q0 p8 1 2 sys\nq7 Q0 2001.00003#1 2 1 sys\n"
                                             << true << 2 << "names the same paragraph as 'p8'";
        QTest::newRow("no question of the split") << "x1 Q0 p0 1 1 sys\nx2 Q0 p0 1 1 sys\n"
                                                  << false << 0 << "none of the run's question ids is in split";
        QTest::newRow("empty") << "" << false << 0 << "no run line";
        QTest::newRow("blank") << "\n \t\n\r\n" << false << 0 << "no run line";
    }

    // Every problem is found before anything is returned, and named FILE:LINE: problem.
    void malformed() {
        QFETCH(QString, text);
        QFETCH(bool, corpus);
        QFETCH(int, line);
        QFETCH(QString, message);
        const std::string path = write("bad.trec", text.toStdString());
        const auto r = read(path, corpus);
        QVERIFY(!r.ok());
        const QString error = QString::fromStdString(r.error());
        const QString where = QString::fromStdString(path) + (line ? ":" + QString::number(line) + ": " : ": ");
        QVERIFY2(error.startsWith(where), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void missingFile() {
        const auto r = readTrecRun(m_dir.filePath("absent.trec").toStdString());
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error()).endsWith("absent.trec: cannot open the run file"));
    }

    // trec_eval ranks by score descending, ties by docno descending (strcmp), never by the rank
    // field; both docno forms mix; the metrics are the workbench's of that order.
    void tiesAsTrecEval() {
        const std::string path = write("ties.trec", "q1 Q0 p1 1 0.5 a\n"
                                                    "q1 Q0 p3 2 0.5 a\r\n"
                                                    "q1 Q0 2001.00001#0 3 0.5 a\n"
                                                    "q1 Q0 p2 4 +0.75 a\n");
        const auto r = read(path, false);
        QVERIFY2(r.ok(), r.error().c_str());
        const QuestionResult& q1 = r->results.front();
        QCOMPARE(q1.questionId, std::string("q1"));
        // p2 (0.75); then the ties by docno descending: "p3" > "p1" > "2001.00001#0".
        QCOMPARE(q1.order, (std::vector<int>{2, 3, 1, 0}));
        QCOMPARE(q1.scores, (std::vector<float>{0.75f, 0.5f, 0.5f, 0.5f}));
        const auto expected = retrievalMetrics(q1.order, m_data.questions.front().gold);
        for (int m = 0; m < kMetricCount - 1; ++m)
            QCOMPARE(q1.metrics.v[m], expected.v[m]);
        QCOMPARE(r->questionsInRun, 1L);
        QCOMPARE(r->missing, long(m_data.questions.size()) - 1);
        QVERIFY(r->results[1].order.empty()); // q2: not in the run, ranked empty
    }

    // trec_eval reads scores into floats: two that differ only below float precision are a tie,
    // ordered by docno descending (p1 then p2 by score as doubles; p2 then p1 as trec_eval).
    void scoresAreComparedAsFloats() {
        const std::string path = write("floats.trec", "q1 Q0 p1 1 100.0000002 a\n"
                                                      "q1 Q0 p2 2 100.0000001 a\n");
        const auto r = read(path, false);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->results.front().order, (std::vector<int>{2, 1}));
        QCOMPARE(r->results.front().scores, (std::vector<float>{100.0f, 100.0f}));
    }

    // A score too small for a double is 0 to trec_eval's atof: read, not refused; one too large
    // stays an error ("score overflow" above).
    void underflowReadsAsZero() {
        const std::string path = write("tiny.trec", "q1 Q0 p1 1 1e-400 a\n"
                                                    "q1 Q0 p2 2 -2.5e-999 a\n"
                                                    "q1 Q0 p0 3 -1 a\n");
        const auto r = read(path, false);
        QVERIFY2(r.ok(), r.error().c_str());
        // p1 and p2 tie at 0 (docno descending), p0 last.
        QCOMPARE(r->results.front().order, (std::vector<int>{2, 1, 0}));
        QCOMPARE(r->results.front().scores, (std::vector<float>{0.0f, 0.0f, -1.0f}));
    }

    // Every bad line of a file is named at once (syntax while reading, then question and docno
    // while mapping), the first 20 of them with a count of all.
    void everyProblemIsNamed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected"); // "LINE: message" in order
        QTest::addColumn<int>("count");
        QTest::newRow("syntax") << "q1 Q0 p0 1 x a\nq1 Q0 p1 1 1 a\nq1 Q0 p2 1\nq1 Q0 p2 -3 1 a\n"
                                << QStringList{"1: score 'x'", "3: expected 6 fields", "4: rank '-3'"} << 3;
        QTest::newRow("mapping") << "q1 Q0 p0 1 1 a\nzz Q0 p0 1 1 a\nq1 Q0 p9 2 1 a\nq1 Q0 p0 3 0 a\n"
                                 << QStringList{"2: unknown question id 'zz'", "3: docno 'p9' is outside",
                                                "4: duplicate document for question q1"}
                                 << 3;
        QString many;
        for (int i = 0; i < 25; ++i)
            many += "q1 Q0 p0 1 bad" + QString::number(i) + " a\n";
        QTest::newRow("over twenty") << many << QStringList{"1: score 'bad0'", "20: score 'bad19'"} << 25;
    }

    void everyProblemIsNamed() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QFETCH(int, count);
        const QString path = QString::fromStdString(write("many.trec", text.toStdString()));
        const auto r = read(path.toStdString(), false);
        QVERIFY(!r.ok());
        const QStringList lines = QString::fromStdString(r.error()).split('\n');
        QCOMPARE(lines.size(), std::min(count, 20) + 1);
        for (const auto& e : expected)
            QVERIFY2(!lines.filter(path + ":" + e).isEmpty(), qPrintable(e + " missing in: " + lines.join('\n')));
        QVERIFY(lines.front().startsWith(path + ":" + expected.front()));
        const QString total = path + ": " + QString::number(count) + " problems in all";
        QCOMPARE(lines.back(), total + (count > 20 ? ", the first 20 shown" : ""));
        QVERIFY2(lines.filter(":21: ").isEmpty(), qPrintable(lines.join('\n')));
    }

    void roundTrip_data() {
        QTest::addColumn<bool>("corpus");
        QTest::addColumn<bool>("beirNames");
        QTest::newRow("paper, p<n>") << false << false;
        QTest::newRow("paper, <paper>#<n>") << false << true;
        QTest::newRow("corpus, p<n>") << true << false;
        QTest::newRow("corpus, <paper>#<n>") << true << true;
    }

    // BM25 ranked, exported as TREC, read back: the same order and metrics for every question the
    // export holds (those with text evidence), so the same means.
    void roundTrip() {
        QFETCH(bool, corpus);
        QFETCH(bool, beirNames);
        const Dataset ranked = corpus ? corpusView(m_data) : m_data;
        Bm25Retriever bm25;
        const auto original = evaluate(ranked, bm25, JobContext{}, {}, 0, corpus ? kCorpusKeptRanks : 0);
        const std::string path = m_dir.filePath("bm25.trec").toStdString();
        QVERIFY(writeTrecRun(path, original.results, "uae-bm25-1", beirNames ? beirDocnos(ranked) : DocnoFn{}).ok());
        const auto back = read(path, corpus);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->results.size(), original.results.size());
        long evaluated = 0;
        for (size_t i = 0; i < original.results.size(); ++i) {
            const auto &a = original.results[i], &b = back->results[i];
            QCOMPARE(b.questionId, a.questionId);
            QCOMPARE(b.gold, a.gold);
            if (!a.evaluated()) { // not exported, as in the qrels
                QVERIFY(b.order.empty());
                continue;
            }
            ++evaluated;
            QCOMPARE(b.order, a.order);
            for (int m = 0; m < kMetricCount; ++m)
                QCOMPARE(b.metrics.v[m], a.metrics.v[m]);
        }
        QVERIFY(evaluated > 0);
        QCOMPARE(back->missingWithEvidence, 0L);
        const auto sa = original.summary, sb = summarize(back->results);
        QCOMPARE(sb.evaluated, sa.evaluated);
        for (int m = 0; m < kMetricCount; ++m)
            QCOMPARE(sb.mean.v[m], sa.mean.v[m]);
    }

    // One finished eval run "trec:<tag>", its config naming the file, the missing questions warned.
    void importStoresOneRun() {
        auto store = Store::open(m_dir.filePath("import.db").toStdString());
        QVERIFY(store.ok());
        const std::string path = write("sys.trec", "q1 Q0 p1 1 2 vespa-hnsw\nq4 Q0 p0 1 3 vespa-hnsw\n");
        std::vector<std::string> warnings;
        JobContext ctx;
        ctx.onWarning = [&](const std::string& w) { warnings.push_back(w); };
        TrecImportConfig config;
        config.source = path;
        config.split = "fixture";
        const auto r = runTrecImport(*store.value(), m_data, config, ctx);
        QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
        const auto run = store.value()->run(r.runId);
        QVERIFY(run.ok());
        QCOMPARE(run->method, std::string("trec:vespa-hnsw"));
        QCOMPARE(run->kind, RunKind::Eval);
        QVERIFY(!isCorpusRun(run->configJson));
        const auto j = nlohmann::json::parse(run->configJson);
        QCOMPARE(j["source"].get<std::string>(), path);
        QCOMPARE(j["lines"].get<long>(), 2L);
        QCOMPARE(j["sha256"].get<std::string>().size(), size_t(64));
        QVERIFY(EvalJobConfig::fromJson(run->configJson).ok()); // export, report and the GUI read it so
        QCOMPARE(store.value()->questionResults(r.runId)->size(), m_data.questions.size());
        QCOMPARE(warnings.size(), size_t(1));
        QVERIFY2(QString::fromStdString(warnings[0]).startsWith("5 of the 7 questions"), warnings[0].c_str());
        QCOMPARE(store.value()->latestRun("trec:vespa-hnsw", "fixture").value(), r.runId);
    }

    // A bad line anywhere: the job fails before a run exists, and the workspace holds nothing new.
    void badFileStoresNothing() {
        auto store = Store::open(m_dir.filePath("bad.db").toStdString());
        QVERIFY(store.ok());
        TrecImportConfig config;
        config.source = write("late-error.trec", "q1 Q0 p1 1 2 s\nq4 Q0 p0 1 3 s\nq7 Q0 p5 1 1 s\n");
        config.split = "fixture";
        const auto r = runTrecImport(*store.value(), m_data, config, JobContext{});
        QCOMPARE(r.status, RunStatus::Failed);
        QCOMPARE(r.runId, std::int64_t(0));
        QVERIFY2(QString::fromStdString(r.error).contains("late-error.trec:3: docno 'p5' is outside"), r.error.c_str());
        QVERIFY(store.value()->runs()->empty());
        config.source = write("late-ok.trec", "q1 Q0 p1 1 2 s\n");
        config.name = "two words";
        QVERIFY(!runTrecImport(*store.value(), m_data, config, JobContext{}).error.empty());
        QVERIFY(store.value()->runs()->empty());
    }

    // Cancelled before anything is stored: no run, status cancelled.
    void cancelStoresNothing() {
        auto store = Store::open(m_dir.filePath("cancel.db").toStdString());
        QVERIFY(store.ok());
        TrecImportConfig config;
        config.source = write("cancel.trec", "q1 Q0 p1 1 2 s\n");
        config.split = "fixture";
        std::atomic<bool> cancel{true};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        const auto r = runTrecImport(*store.value(), m_data, config, ctx);
        QCOMPARE(r.status, RunStatus::Cancelled);
        QCOMPARE(r.runId, std::int64_t(0));
        QVERIFY(store.value()->runs()->empty());
        cancel = false;
        QCOMPARE(runTrecImport(*store.value(), m_data, config, ctx).status, RunStatus::Finished);
        QCOMPARE(store.value()->runs()->size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestTrecRun)
#include "tst_trec_run.moc"

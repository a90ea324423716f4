#include "uae/export.h"
#include "uae/qasper.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>

using namespace uae;

namespace {

QStringList lines(const std::string& path) {
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
}

QuestionResult result(const char* id, std::vector<int> order, std::vector<float> scores, std::vector<int> gold) {
    QuestionResult r;
    r.questionId = id;
    r.order = std::move(order);
    r.scores = std::move(scores);
    r.gold = std::move(gold);
    return r;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* n) { return m_dir.filePath(n).toStdString(); }

private Q_SLOTS:
    void trecRunKeepsOrderUnderTies() {
        const std::vector<QuestionResult> rs{result("q1", {2, 0, 1}, {0.5f, 0.5f, 0.1f}, {0}),
                                             result("q2", {0}, {1.0f}, {})};
        QVERIFY(writeTrecRun(path("r.trec"), rs, "tag").ok());
        const auto l = lines(path("r.trec"));
        // q2 has no gold: left out, as from the qrels.
        QCOMPARE(l, (QStringList{"q1 Q0 p2 1 0.500000 tag", "q1 Q0 p0 2 0.499999 tag", "q1 Q0 p1 3 0.100000 tag"}));
    }

    // BM25 scores of a corpus run lie around 20-60, where a float's step is 2-4e-6: 1e-6 apart is
    // a tie to trec_eval (it reads scores as floats and orders ties by docno). Every printed score
    // must read back, as a float, strictly below the one before.
    void trecRunKeepsOrderAsFloats() {
        const std::vector<QuestionResult> rs{result("q1", {0, 1, 2, 3}, {42.5f, 42.5f, 42.5f, 7.0f}, {0})};
        QVERIFY(writeTrecRun(path("f.trec"), rs, "tag").ok());
        const auto l = lines(path("f.trec"));
        QCOMPARE(l.size(), 4);
        float previous = INFINITY;
        for (const QString& line : l) {
            const float read = std::strtof(line.split(' ')[4].toUtf8().constData(), nullptr);
            QVERIFY2(read < previous, qPrintable(line));
            previous = read;
        }
        QCOMPARE(l[0], QString("q1 Q0 p0 1 42.500000 tag"));
        QCOMPARE(l[3], QString("q1 Q0 p3 4 7.000000 tag"));
    }

    void qrelsFormat() {
        const std::vector<QuestionResult> rs{result("q1", {2, 0, 1}, {3, 2, 1}, {0, 1}), result("q2", {0}, {1}, {})};
        QVERIFY(writeQrels(path("r.qrels"), rs).ok());
        QCOMPARE(lines(path("r.qrels")), (QStringList{"q1 0 p0 1", "q1 0 p1 1"}));
    }

    void qasperPredictionsUseTopParagraphText() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        const std::vector<QuestionResult> rs{result("q1", {1, 0}, {2, 1}, {1})};
        QVERIFY(writeQasperPredictions(path("p.jsonl"), rs, *d).ok());
        const auto l = lines(path("p.jsonl"));
        QCOMPARE(l.size(), 1);
        const auto j = nlohmann::json::parse(l[0].toStdString());
        QCOMPARE(j["question_id"].get<std::string>(), std::string("q1"));
        QCOMPARE(j["predicted_answer"].get<std::string>(), std::string(""));
        QCOMPARE(j["predicted_evidence"][0].get<std::string>(), d->papers[0].paragraphs[1].text);
        QVERIFY(!writeQasperPredictions(path("x.jsonl"), {result("zz", {0}, {1}, {})}, *d).ok());
    }

    void goldMergesParts() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        QVERIFY(writeQasperGold(path("g.json"), *d).ok());
        std::ifstream in(path("g.json"));
        const auto j = nlohmann::json::parse(in);
        QCOMPARE(j.size(), size_t(3));
        QVERIFY(j.contains("2001.00002"));
    }

    void csvHasHeaderAndRows() {
        QVERIFY(writeCsv(path("r.csv"), {result("q1", {2, 0}, {1, 0}, {0})}).ok());
        const auto l = lines(path("r.csv"));
        QCOMPARE(l.size(), 2);
        QVERIFY(l[0].startsWith("question_id,evaluated,top1,latency_ms,recall@1"));
        QVERIFY(l[1].startsWith("q1,1,2,"));
    }

    void unwritablePathNamed() {
        const auto s = writeCsv("/nonexistent-dir/r.csv", {});
        QVERIFY(!s.ok());
        QVERIFY(s.error().find("/nonexistent-dir/r.csv") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"

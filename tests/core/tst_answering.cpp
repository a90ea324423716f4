#include "uae/answering.h"
#include "uae/bm25.h"
#include "uae/export.h"
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace uae;

class TestAnswering : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void tokenF1_data() {
        QTest::addColumn<QString>("prediction");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<double>("f1");
        // "the"/"a" dropped: [cat, sat] vs [cat, sat, down] -> P 1, R 2/3.
        QTest::newRow("articles dropped") << "the cat sat"
                                          << "a cat sat down" << 0.8;
        QTest::newRow("case and punctuation") << "Cat!"
                                              << "cat" << 1.0;
        QTest::newRow("bag counts") << "cat cat"
                                    << "cat" << 2.0 / 3.0;
        QTest::newRow("nothing shared") << "dog"
                                        << "cat" << 0.0;
        QTest::newRow("both empty is 0, as in the official script") << ""
                                                                    << "" << 0.0;
    }
    void tokenF1() {
        QFETCH(QString, prediction);
        QFETCH(QString, reference);
        QFETCH(double, f1);
        QVERIFY(qAbs(uae::tokenF1(prediction.toStdString(), reference.toStdString()) - f1) < 1e-12);
    }

    void answersAndExtractiveReader() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        const Question& q2 = *d->findQuestion("q2");
        QCOMPARE(answerF1("yes.", q2), 1.0);
        QCOMPARE(answerF1("Unanswerable", q2), 1.0);
        const Question& q3 = *d->findQuestion("q3");
        ReaderExtractive reader;
        QCOMPARE(reader.answer(q3, d->paperOf(q3), {3, 0}),
                 std::string("Recall at one improves by thirty percent over the baseline encoder."));
    }

    void answerJobStoresAndExports() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        auto store = Store::open(m_dir.filePath("ws.db").toStdString());
        QVERIFY(store.ok());
        Bm25Retriever bm25;
        EvalJobConfig ec;
        ec.split = "fixture";
        const auto eval = runEvalJob(*store.value(), *d, bm25, ec, JobContext{});
        ReaderExtractive reader;
        AnswerJobConfig config;
        config.evalRun = eval.runId;
        config.k = 2;
        const auto r = runAnswerJob(*store.value(), *d, reader, config, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Finished);
        QCOMPARE(r.answered, 7L);
        const auto rows = store.value()->latestAnswers(eval.runId);
        QCOMPARE(rows->size(), size_t(7));
        double mean = 0;
        for (const auto& a : *rows)
            mean += a.f1 / 7.0;
        QVERIFY(qAbs(mean - r.meanF1) < 1e-12);
        QVERIFY(r.meanF1 > 0);
        std::map<std::string, std::string> answers;
        for (const auto& a : *rows)
            answers[a.question] = a.answer;
        const std::string path = m_dir.filePath("p.jsonl").toStdString();
        QVERIFY(writeQasperPredictions(path, store.value()->questionResults(eval.runId).value(), *d, answers).ok());
        std::ifstream in(path);
        std::string line;
        std::getline(in, line);
        QCOMPARE(nlohmann::json::parse(line)["predicted_answer"].get<std::string>(), answers.at("q1"));
    }

    void unknownReader() {
        AnswerJobConfig c;
        c.reader = "oracle";
        QVERIFY(!makeReader(c).ok());
        c.reader = "lm";
        QVERIFY(!makeReader(c).ok()); // no model given
    }
};

QTEST_GUILESS_MAIN(TestAnswering)
#include "tst_answering.moc"

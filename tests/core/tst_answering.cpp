#include "uae/answering.h"
#include "uae/bm25.h"
#include "uae/export.h"
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace uae;

namespace {

// Counts its calls; answers with the paragraphs it was given.
class CountingReader final : public uae::AnswerReader {
public:
    int calls = 0;
    std::string name() const override { return "counting"; }
    std::string configJson() const override { return "{}"; }
    std::string answer(const uae::Question&, const uae::Paper&, const std::vector<int>& paragraphs) override {
        ++calls;
        std::string out;
        for (int p : paragraphs)
            out += std::to_string(p) + " ";
        return out;
    }
};

} // namespace

class TestAnswering : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    // auto: a line break ends a plain completion; a chat reply ends with its turn ("The answer is:"
    // and a line break came first in SmolLM2's replies, and scored 0).
    void readerStops_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("stop");
        QTest::addColumn<QStringList>("stops");
        QTest::newRow("instruct, auto") << "SmolLM2-135M-Instruct"
                                        << "auto" << QStringList{};
        QTest::newRow("base, auto") << "stories260K.bin"
                                    << "auto" << QStringList{"\n"};
        QTest::newRow("instruct, explicit") << "SmolLM2-135M-Instruct"
                                            << "." << QStringList{"."};
    }
    void readerStops() {
        QFETCH(QString, model);
        QFETCH(QString, stop);
        QFETCH(QStringList, stops);
        uae::AnswerJobConfig c;
        c.reader = "lm";
        c.model = model.toStdString();
        c.stop = stop.toStdString();
        QStringList got;
        for (const auto& s : c.resolvedStops())
            got << QString::fromStdString(s);
        QCOMPARE(got, stops);
    }

    // The same question and top k answered once; another order or question is answered anew.
    void memoReaderAnswersEachInputOnce() {
        auto inner = std::make_shared<CountingReader>();
        uae::MemoReader memo(inner);
        uae::Question q1, q2;
        q1.id = "q1";
        q2.id = "q2";
        uae::Paper paper;
        QCOMPARE(memo.answer(q1, paper, {1, 2, 3}), std::string("1 2 3 "));
        QCOMPARE(memo.answer(q1, paper, {1, 2, 3}), std::string("1 2 3 "));
        QCOMPARE(inner->calls, 1);
        memo.answer(q1, paper, {2, 1, 3});
        memo.answer(q2, paper, {1, 2, 3});
        QCOMPARE(inner->calls, 3);
        QCOMPARE(memo.hits(), 1L);
    }

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

    void cutAtStop_data() {
        QTest::addColumn<QString>("generated");
        QTest::addColumn<QStringList>("stops");
        QTest::addColumn<QString>("answer");
        QTest::newRow("first line") << " BLEU and ROUGE\nQuestion: next" << QStringList{"\n"} << "BLEU and ROUGE";
        QTest::newRow("a leading line break is not the stop") << "\n\nYes\nmore" << QStringList{"\n"} << "Yes";
        QTest::newRow("earliest of several stops")
            << "42 words.<|im_end|>\nx" << QStringList{"\n", "<|im_end|>"} << "42 words.";
        QTest::newRow("no stop: all of it, trimmed") << "  a span " << QStringList{"\n"} << "a span";
        QTest::newRow("empty stop ignored") << "a\nb" << QStringList{""} << "a\nb";
    }
    void cutAtStop() {
        QFETCH(QString, generated);
        QFETCH(QStringList, stops);
        QFETCH(QString, answer);
        std::vector<std::string> s;
        for (const auto& stop : stops)
            s.push_back(stop.toStdString());
        QCOMPARE(QString::fromStdString(uae::cutAtStop(generated.toStdString(), s)), answer);
    }

    // Instruct models are asked in their ChatML turns (as the scorer's lm-chat-v1), base models in
    // plain text; each prompt has its own version.
    void answerPrompts() {
        const AnswerPrompt chat = answerPrompt(true, "Which data?");
        QCOMPARE(chat.version, std::string("answer-chat-v1"));
        QVERIFY(chat.head.rfind("<|im_start|>user\n", 0) == 0);
        QVERIFY(chat.head.find("Context: ") != std::string::npos);
        QCOMPARE(chat.tail, std::string("\nQuestion: Which data?<|im_end|>\n<|im_start|>assistant\n"));
        const AnswerPrompt plain = answerPrompt(false, "Which data?");
        QCOMPARE(plain.version, std::string("answer-v1"));
        QCOMPARE(plain.head + "{c}" + plain.tail, std::string("Context: {c}\nQuestion: Which data?\nAnswer:"));
    }

    void readerPromptFollowsTheModel_data() {
        QTest::addColumn<QString>("reader");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("resolved");
        QTest::newRow("instruct: chat") << "lm"
                                        << "SmolLM2-135M-Instruct"
                                        << "auto"
                                        << "chat";
        QTest::newRow("instruct path: chat") << "lm"
                                             << "/m/qwen2-0.5b-instruct-q4.gguf"
                                             << "auto"
                                             << "chat";
        QTest::newRow("base model: plain") << "lm"
                                           << "stories260K.bin"
                                           << "auto"
                                           << "plain";
        QTest::newRow("asked for plain") << "lm"
                                         << "SmolLM2-135M-Instruct"
                                         << "plain"
                                         << "plain";
        QTest::newRow("extractive") << "extractive"
                                    << ""
                                    << "auto"
                                    << "plain";
    }
    void readerPromptFollowsTheModel() {
        QFETCH(QString, reader);
        QFETCH(QString, model);
        QFETCH(QString, prompt);
        QFETCH(QString, resolved);
        AnswerJobConfig c;
        c.reader = reader.toStdString();
        c.model = model.toStdString();
        c.prompt = prompt.toStdString();
        QCOMPARE(QString::fromStdString(c.resolvedPrompt()), resolved);
        QVERIFY(c.validate().ok());
        // The label job's preset follows the same rule.
        if (reader == "lm" && prompt == "auto")
            QCOMPARE(QString::fromStdString(LabelJobConfig::forModel(c.model).prompt), resolved);
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
        // Each question's Token F1 is its own answer's, and the set says what read them.
        const Question& q2 = *d->findQuestion("q2");
        for (const auto& a : *rows)
            if (a.question == "q2")
                QCOMPARE(a.f1, answerF1(a.answer, q2));
        const auto set = store.value()->latestAnswerSet(eval.runId);
        QVERIFY(set.ok());
        QCOMPARE(set->run, r.runId);
        QCOMPARE(set->evalRun, eval.runId);
        QCOMPARE(set->reader, std::string("extractive"));
        QCOMPARE(set->k, 2);
        QVERIFY(set->promptVersion.empty());
        QVERIFY(qAbs(set->meanF1 - r.meanF1) < 1e-12);
        QCOMPARE(store.value()->latestAnswerSet(eval.runId + 1000)->run, std::int64_t(0));
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

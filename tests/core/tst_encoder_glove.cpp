#include "uae/encoder_glove.h"
#include "uae/qasper.h"
#include "uae/retriever_dense.h"
#include "uae/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace uae;

namespace {

// cat = (1, 0), dog = (0, 1), fish = (1, 1)
std::shared_ptr<EncoderGlove> tinyEncoder() {
    return std::make_shared<EncoderGlove>(std::vector<std::string>{"cat", "dog", "fish"},
                                          std::vector<float>{1, 0, 0, 1, 1, 1}, 2, "tiny");
}

void writeModel(const QString& dir, const std::vector<std::string>& vocab, int rows) {
    std::ofstream v(QDir(dir).filePath("vocab.txt").toStdString());
    for (const auto& w : vocab)
        v << w << '\n';
    std::vector<float> table(static_cast<size_t>(rows) * 2, 0.5f);
    writeSafetensors(QDir(dir).filePath("w.safetensors").toStdString(), {{"embeddings", {rows, 2}, table.data()}});
}

} // namespace

class TestEncoderGlove : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meanPoolThenNormalise_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("y");
        QTest::newRow("one word") << "cat" << 1.0f << 0.0f;
        QTest::newRow("mean of two") << "Cat, dog!" << float(M_SQRT1_2) << float(M_SQRT1_2);
        QTest::newRow("stop words skipped") << "the dog" << 0.0f << 1.0f;
        QTest::newRow("weighted by count") << "cat cat fish" << 0.9486833f << 0.3162278f; // (3,1)/sqrt(10)
        QTest::newRow("no known word") << "zebra" << 0.0f << 0.0f;
    }
    void meanPoolThenNormalise() {
        QFETCH(QString, text);
        QFETCH(float, x);
        QFETCH(float, y);
        const auto v = tinyEncoder()->encode({text.toStdString()}, EncodeRole::Query);
        QCOMPARE(v.size(), size_t(2));
        QVERIFY2(qAbs(v[0] - x) < 1e-6 && qAbs(v[1] - y) < 1e-6, qPrintable(QString("%1 %2").arg(v[0]).arg(v[1])));
    }

    void denseRetrieverRanksByCosine() {
        Paper paper;
        paper.paragraphs = {{"s", "cat", {}, {}}, {"s", "dog", {}, {}}, {"s", "fish", {}, {}}, {"s", "zebra", {}, {}}};
        RetrieverDense dense(tinyEncoder());
        const auto r = dense.rank(RetrievalQuery{"q", "cat", &paper});
        QCOMPARE(r.order, (std::vector<int>{0, 2, 1, 3})); // 1, 0.707, 0, 0 (tie keeps document order)
        QVERIFY(qAbs(r.scores[1] - float(M_SQRT1_2)) < 1e-6);
        QCOMPARE(dense.method(), std::string("glove"));
        // The pool is encoded once per paper.
        const double prepared = dense.preparationMs();
        dense.rank(RetrievalQuery{"q2", "dog", &paper});
        QCOMPARE(dense.preparationMs(), prepared);
    }

    void loadErrors_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<bool>("withVocab");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing vocab") << 3 << false << "vocab.txt: missing";
        QTest::newRow("row count mismatch") << 4 << true << "has 4 rows";
    }
    void loadErrors() {
        QFETCH(int, rows);
        QFETCH(bool, withVocab);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeModel(dir.path(), {"a", "b", "c"}, rows);
        if (!withVocab)
            QFile::remove(QDir(dir.path()).filePath("vocab.txt"));
        auto e = EncoderGlove::load(dir.path().toStdString());
        QVERIFY(!e.ok());
        QVERIFY2(e.error().find(expected.toStdString()) != std::string::npos, e.error().c_str());
    }

    void loadsWrittenModel() {
        QTemporaryDir dir;
        writeModel(dir.path(), {"a", "b", "c"}, 3);
        auto e = EncoderGlove::load(dir.path().toStdString());
        QVERIFY2(e.ok(), e.error().c_str());
        QCOMPARE(e.value()->dim(), 2);
        QCOMPARE(e.value()->lookup("c"), 2);
    }

    void realGloveWhenPresent() {
        const std::string dir = UAE_SHARED_DIR "/models/glove-6B-100d-top50k";
        if (!QFileInfo::exists(QString::fromStdString(dir)))
            QSKIP("shared GloVe model not present");
        auto e = EncoderGlove::load(dir);
        QVERIFY2(e.ok(), e.error().c_str());
        QCOMPARE(e.value()->vocabSize(), 50000);
        QCOMPARE(e.value()->dim(), 100);
        const auto v = e.value()->encode({"king", "queen", "banana"}, EncodeRole::Passage);
        auto cos = [&](int a, int b) {
            double s = 0;
            for (int d = 0; d < 100; ++d)
                s += double(v[a * 100 + d]) * v[b * 100 + d];
            return s;
        };
        // Values stated by the model's SOURCE.md.
        QVERIFY2(qAbs(cos(0, 1) - 0.751) < 1e-3, qPrintable(QString::number(cos(0, 1))));
        QVERIFY2(qAbs(cos(0, 2) - 0.161) < 1e-3, qPrintable(QString::number(cos(0, 2))));
    }
};

QTEST_GUILESS_MAIN(TestEncoderGlove)
#include "tst_encoder_glove.moc"

#include "uae/tokenizer_wordpiece.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace uae;

namespace {

const std::string kVocabDir = UAE_SHARED_DIR "/models/bert-base-uncased-vocab";
const std::string kGoldens = UAE_TEST_DATA_DIR "/tokenizer/bert_base_uncased_goldens.jsonl";

std::unique_ptr<TokenizerWordPiece> tiny() {
    std::vector<std::string> vocab{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un",  "una",  "##ffa",
                                   "##ble", "the",   "cat",   ",",     "!",      "##s", "cafe", "中"};
    return std::make_unique<TokenizerWordPiece>(std::move(vocab), WordPieceConfig{});
}

QStringList q(const std::vector<std::string>& v) {
    QStringList l;
    for (const auto& s : v)
        l << QString::fromStdString(s);
    return l;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
    std::unique_ptr<TokenizerWordPiece> m_fromVocab, m_fromJson;

private Q_SLOTS:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(kVocabDir)))
            return;
        auto a = TokenizerWordPiece::fromVocabFile(kVocabDir + "/vocab.txt");
        auto b = TokenizerWordPiece::fromTokenizerJson(kVocabDir + "/tokenizer.json");
        QVERIFY2(a.ok(), a.error().c_str());
        QVERIFY2(b.ok(), b.error().c_str());
        m_fromVocab = std::move(a.value());
        m_fromJson = std::move(b.value());
    }

    void wordPieceBasics_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("tokens");
        QTest::newRow("greedy longest match") << "unaffable" << QStringList{"una", "##ffa", "##ble"};
        QTest::newRow("punctuation split, lower case")
            << "The cat, THE cats!" << QStringList{"the", "cat", ",", "the", "cat", "##s", "!"};
        QTest::newRow("accents stripped") << "Café" << QStringList{"cafe"};
        QTest::newRow("no piece matches") << "dog" << QStringList{"[UNK]"};
        QTest::newRow("CJK isolated") << "中中" << QStringList{"中", "中"};
        QTest::newRow("special token kept") << "the[MASK]cat" << QStringList{"the", "[MASK]", "cat"};
        QTest::newRow("too long word") << QString(101, 'a') << QStringList{"[UNK]"};
        QTest::newRow("controls dropped") << "ca\u0007t" << QStringList{"cat"};
        QTest::newRow("empty") << "" << QStringList{};
    }
    void wordPieceBasics() {
        QFETCH(QString, text);
        QFETCH(QStringList, tokens);
        QCOMPARE(q(tiny()->tokenize(text.toStdString())), tokens);
    }

    void specialsAndTruncation() {
        auto t = tiny();
        auto e = t->encode("the cat the cat", 4);
        QCOMPARE(e.ids, (std::vector<std::int32_t>{2, 9, 10, 3}));
        auto p = t->encodePair("the cat", "cat the cat", 7);
        QCOMPARE(q(p.tokens), (QStringList{"[CLS]", "the", "cat", "[SEP]", "cat", "the", "[SEP]"}));
        QCOMPARE(p.typeIds, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1}));
    }

    void conformance_data() {
        QTest::addColumn<QByteArray>("line");
        std::ifstream in(kGoldens);
        QVERIFY2(in.good(), kGoldens.c_str());
        int n = 0;
        for (std::string line; std::getline(in, line);)
            QTest::addRow("case %d", n++) << QByteArray::fromStdString(line);
        QVERIFY(n > 300);
    }
    // Hugging Face's tokenizers library gave these ids (scripts/goldens/tokenizer_goldens.js).
    void conformance() {
        QFETCH(QByteArray, line);
        if (!m_fromVocab)
            QSKIP("shared bert-base-uncased vocabulary not present");
        const auto c = nlohmann::json::parse(line.toStdString());
        const int maxLength = c.value("max_length", 0);
        const auto ids = c["ids"].get<std::vector<std::int32_t>>();
        const auto types = c["type_ids"].get<std::vector<std::int32_t>>();
        for (const auto* tok : {m_fromVocab.get(), m_fromJson.get()}) {
            const Encoding e =
                c.contains("a") ? tok->encodePair(c["a"], c["b"], maxLength) : tok->encode(c["text"], maxLength);
            if (e.ids != ids) {
                QString got;
                for (const auto& t : e.tokens)
                    got += QString::fromStdString(t) + " ";
                QFAIL(qPrintable(
                    QString("ids differ for %1\ngot tokens: %2").arg(QString::fromStdString(c.dump())).arg(got)));
            }
            QCOMPARE(e.typeIds, types);
        }
    }

    void loadErrors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no tokenizer files") << "" << QByteArray() << "no tokenizer.json or vocab.txt";
        QTest::newRow("malformed tokenizer.json") << "tokenizer.json" << QByteArray("{\"model\": ") << "malformed JSON";
        QTest::newRow("BPE model") << "tokenizer.json" << QByteArray(R"({"model": {"type": "BPE", "vocab": {}}})")
                                   << "is not WordPiece";
        QTest::newRow("vocab without specials") << "vocab.txt" << QByteArray("a\nb\n") << "lacks the special token";
        QTest::newRow("empty vocab") << "vocab.txt" << QByteArray("") << "vocabulary is empty";
        // Found by fuzz_wordpiece: a tokenizer_config.json that is not an object threw out of fromModelDir.
        QTest::newRow("tokenizer_config is a number")
            << "tokenizer_config.json" << QByteArray("5") << "tokenizer_config.json: is number, expected a JSON object";
        QTest::newRow("do_lower_case is a string")
            << "tokenizer_config.json" << QByteArray(R"({"do_lower_case": "yes"})")
            << "tokenizer_config.json: [json.exception.type_error";
        // Found by fuzz_wordpiece: float ids and lengths beyond long's range were converted (UB).
        QTest::newRow("vocab id a huge float")
            << "tokenizer.json" << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 7.6e123}}})")
            << "token '[UNK]' has id 7.6e+123 (ids are integers)";
        // Found by fuzz_wordpiece (timeout): one id near 10^7 allocated ten million empty tokens.
        QTest::newRow("vocab id past the entries")
            << "tokenizer.json"
            << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "[CLS]": 9999999}}})")
            << "token '[CLS]' has id 9999999, outside 0..1 (the vocabulary's 2 entries)";
        QTest::newRow("max_length a huge float")
            << "tokenizer.json"
            << QByteArray(R"({"truncation": {"max_length": 7.6e123}, "model": {"type": "WordPiece", "vocab": {}}})")
            << "truncation.max_length 7.6e+123 is not an integer";
    }
    void loadErrors() {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        if (!file.isEmpty()) {
            QFile f(dir.filePath(file));
            f.open(QIODevice::WriteOnly);
            f.write(content);
        }
        auto t = TokenizerWordPiece::fromModelDir(dir.path().toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().find(expected.toStdString()) != std::string::npos, t.error().c_str());
        QVERIFY2(t.error().find(dir.path().toStdString()) != std::string::npos, t.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"

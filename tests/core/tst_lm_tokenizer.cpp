#include "uae/lm_tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace uae;

namespace {
const std::string kGpt2 = UAE_SHARED_DIR "/models/gpt2-tokenizer";
const std::string kGoldens = UAE_TEST_DATA_DIR "/tokenizer/gpt2_goldens.jsonl";
} // namespace

class TestLmTokenizer : public QObject {
    Q_OBJECT
    std::unique_ptr<TokenizerByteBpe> m_json, m_files;

private Q_SLOTS:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(kGpt2)))
            return;
        auto a = TokenizerByteBpe::fromTokenizerJson(kGpt2 + "/tokenizer.json");
        auto b = TokenizerByteBpe::fromVocabAndMerges(kGpt2 + "/encoder.json", kGpt2 + "/vocab.bpe");
        QVERIFY2(a.ok(), a.error().c_str());
        QVERIFY2(b.ok(), b.error().c_str());
        m_json = std::move(a.value());
        m_files = std::move(b.value());
    }

    void gpt2Split_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("pieces");
        QTest::newRow("words keep their space") << "Hello world" << QStringList{"Hello", " world"};
        QTest::newRow("contractions") << "it's we'll" << QStringList{"it", "'s", " we", "'ll"};
        QTest::newRow("upper-case contraction is not one") << "IT'S" << QStringList{"IT", "'", "S"};
        QTest::newRow("space run leaves one space") << "a   b" << QStringList{"a", "  ", " b"};
        QTest::newRow("numbers and symbols") << "x=42!?" << QStringList{"x", "=", "42", "!?"};
        QTest::newRow("newlines") << "a\n\nb" << QStringList{"a", "\n", "\n", "b"};
        QTest::newRow("trailing spaces") << "end  " << QStringList{"end", "  "};
    }
    void gpt2Split() {
        QFETCH(QString, text);
        QFETCH(QStringList, pieces);
        QStringList got;
        for (const auto& p : TokenizerByteBpe::splitGpt2(text.toStdString()))
            got << QString::fromStdString(p);
        QCOMPARE(got, pieces);
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
    // Ids from Hugging Face's tokenizers library (scripts/goldens/bpe_goldens.js).
    void conformance() {
        QFETCH(QByteArray, line);
        if (!m_json)
            QSKIP("shared GPT-2 tokenizer files not present");
        const auto c = nlohmann::json::parse(line.toStdString());
        const std::string text = c["text"];
        const auto want = c["ids"].get<std::vector<std::int32_t>>();
        QCOMPARE(m_json->encode(text, false), want);
        QCOMPARE(m_files->encode(text, false), want);
        if (text.find("<|endoftext|>") == std::string::npos)
            QCOMPARE(m_json->decode(want), text); // byte-level BPE is lossless
    }

    void llama3AndQwen2Patterns_data() {
        QTest::addColumn<QString>("variant");
        QTest::newRow("Llama 3 (3-digit numbers, ignore_merges, BOS template)") << "llama3";
        QTest::newRow("Qwen2 (single digits, NFC)") << "qwen2";
    }
    // GPT-2's vocabulary with each model's pre-tokenizer; goldens from the tokenizers library
    // (scripts/goldens/bpe_variant_goldens.js, which applies the same overrides).
    void llama3AndQwen2Patterns() {
        QFETCH(QString, variant);
        if (!m_json)
            QSKIP("shared GPT-2 tokenizer files not present");
        std::ifstream goldens(UAE_TEST_DATA_DIR "/tokenizer/" + variant.toStdString() + "_bpe_goldens.jsonl");
        std::string line;
        QVERIFY(std::getline(goldens, line));
        const auto v = nlohmann::json::parse(line)["variant"];
        std::ifstream base(kGpt2 + "/tokenizer.json");
        auto t = nlohmann::json::parse(base);
        t["pre_tokenizer"] = v["pre_tokenizer"];
        t["normalizer"] = v["normalizer"];
        t["post_processor"] = v["post_processor"];
        t["model"]["ignore_merges"] = v["ignore_merges"];
        QTemporaryDir dir;
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(path) << t.dump();
        auto tok = TokenizerByteBpe::fromTokenizerJson(path);
        QVERIFY2(tok.ok(), tok.error().c_str());
        int n = 0, bad = 0;
        while (std::getline(goldens, line)) {
            const auto c = nlohmann::json::parse(line);
            const auto got = tok.value()->encode(c["text"], true);
            if (got != c["ids"].get<std::vector<std::int32_t>>() && bad++ < 3)
                qWarning("differs: %s", c["text"].get<std::string>().c_str());
            ++n;
        }
        QVERIFY(n > 300);
        QCOMPARE(bad, 0);
    }

    void sentencePieceStyle_data() {
        QTest::addColumn<QString>("variant");
        QTest::newRow("Llama 2 (Prepend + Replace normalizer, byte fallback)") << "legacy";
        QTest::newRow("Metaspace, prepend first, no split (Mistral v0.3)") << "metaspace_first";
        QTest::newRow("Metaspace, prepend always, split") << "metaspace_split";
    }
    // A Llama-2-style tokenizer.json built from stories260K's vocabulary
    // (scripts/goldens/spm_tokenizer_json.py) and variants; goldens from the tokenizers library
    // (scripts/goldens/spm_goldens.js), encode and decode.
    void sentencePieceStyle() {
        QFETCH(QString, variant);
        std::ifstream goldens(UAE_TEST_DATA_DIR "/tokenizer/spm_" + variant.toStdString() + "_goldens.jsonl");
        std::string line;
        QVERIFY(std::getline(goldens, line));
        const auto v = nlohmann::json::parse(line)["variant"];
        std::ifstream base(UAE_TEST_DATA_DIR "/tokenizer/llama2_style_tokenizer.json");
        auto t = nlohmann::json::parse(base);
        for (const auto& [key, value] : v.items())
            t[key] = value;
        QTemporaryDir dir;
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(path) << t.dump();
        auto tok = TokenizerByteBpe::fromTokenizerJson(path);
        QVERIFY2(tok.ok(), tok.error().c_str());
        QCOMPARE(tok.value()->bosId(), 1);
        QCOMPARE(tok.value()->eosId(), 2);
        int n = 0, bad = 0, badDecode = 0;
        while (std::getline(goldens, line)) {
            const auto c = nlohmann::json::parse(line);
            const auto ids = c["ids"].get<std::vector<std::int32_t>>();
            if (tok.value()->encode(c["text"], true) != ids && bad++ < 3)
                qWarning("encode differs: %s", c["text"].get<std::string>().c_str());
            if (tok.value()->decode(ids) != c["decoded"].get<std::string>() && badDecode++ < 3)
                qWarning("decode differs: %s", c["text"].get<std::string>().c_str());
            ++n;
        }
        QVERIFY(n > 300);
        QCOMPARE(bad, 0);
        QCOMPARE(badDecode, 0);
    }

    // Found by fuzz_llama2c: a byte outside the vocabulary fell back to id 3 + byte even when the
    // vocabulary was smaller, and encode() read past its pieces.
    void llama2cSmallVocabulary() {
        QTemporaryDir dir;
        const std::string p = dir.filePath("tokenizer.bin").toStdString();
        {
            std::ofstream out(p, std::ios::binary);
            const std::int32_t maxLength = 5;
            out.write(reinterpret_cast<const char*>(&maxLength), 4);
            for (std::string piece : {"<unk>", "<s>", "</s>", " ", "a"}) {
                const float score = 0;
                const auto n = static_cast<std::int32_t>(piece.size());
                out.write(reinterpret_cast<const char*>(&score), 4);
                out.write(reinterpret_cast<const char*>(&n), 4);
                out.write(piece.data(), n);
            }
        }
        auto tok = TokenizerLlama2c::load(p, 5);
        QVERIFY2(tok.ok(), tok.error().c_str());
        // " " then "a", then the two bytes of "é" as <unk>.
        QCOMPARE(tok.value()->encode("a\xc3\xa9", true), (std::vector<std::int32_t>{1, 3, 4, 0, 0}));
        auto tooSmall = TokenizerLlama2c::load(p, 2);
        QVERIFY(!tooSmall.ok());
        QVERIFY2(tooSmall.error().find("vocabulary size 2 is too small") != std::string::npos,
                 tooSmall.error().c_str());
    }

    // Found by fuzz_bpe: a negative id indexed the token table out of bounds; the others are the
    // same family (ids init() cannot hold, malformed merges, an empty processor sequence).
    void bpeJsonBadIds_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray pre = R"("pre_tokenizer": {"type": "ByteLevel", "use_regex": true})";
        QTest::newRow("negative id") << R"({"model": {"type": "BPE", "vocab": {"a": -3}, "merges": []}, )" + pre + "}"
                                     << "token 'a' has id -3";
        QTest::newRow("id beyond int32") << R"({"model": {"type": "BPE", "vocab": {"a": 4294967296}, "merges": []}, )" +
                                                pre + "}"
                                         << "token 'a' has id 4294967296";
        QTest::newRow("fractional id") << R"({"model": {"type": "BPE", "vocab": {"a": 1.5}, "merges": []}, )" + pre +
                                              "}"
                                       << "token 'a' has id 1.5";
        QTest::newRow("added token id") << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, )" + pre +
                                               R"(, "added_tokens": [{"id": 2147483647, "content": "<s>"}]})"
                                        << "token '<s>' has id 2147483647";
        QTest::newRow("merge of one") << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a"]]}, )" + pre +
                                             "}"
                                      << R"(merge ["a"] is not a pair of strings)";
        QTest::newRow("empty processor sequence")
            << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, )" + pre +
                   R"(, "post_processor": {"type": "Sequence", "processors": []}})"
            << "";
    }
    void bpeJsonBadIds() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string p = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(p) << json.toStdString();
        auto tok = TokenizerByteBpe::fromTokenizerJson(p);
        if (expected.isEmpty()) { // loads, and encodes
            QVERIFY2(tok.ok(), tok.error().c_str());
            QCOMPARE(tok.value()->encode("a", false), (std::vector<std::int32_t>{0}));
            return;
        }
        QVERIFY(!tok.ok());
        QVERIFY2(tok.error().find(p) != std::string::npos, tok.error().c_str());
        QVERIFY2(tok.error().find(expected.toStdString()) != std::string::npos, tok.error().c_str());
    }

    void loadErrors() {
        QTemporaryDir dir;
        auto none = TokenizerByteBpe::fromDir(dir.path().toStdString());
        QVERIFY(!none.ok());
        QVERIFY(none.error().find("no tokenizer.json") != std::string::npos);
        std::ofstream(dir.filePath("tokenizer.json").toStdString())
            << R"({"model": {"type": "WordPiece", "vocab": {}}})";
        auto wrong = TokenizerByteBpe::fromDir(dir.path().toStdString());
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().find("is not BPE") != std::string::npos, wrong.error().c_str());
        std::ofstream(dir.filePath("tokenizer.json").toStdString())
            << R"({"model": {"type": "BPE", "vocab": {}, "merges": []}, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\d+"}}, {"type": "ByteLevel", "use_regex": false}]}})";
        auto pattern = TokenizerByteBpe::fromDir(dir.path().toStdString());
        QVERIFY(!pattern.ok());
        QVERIFY2(pattern.error().find("split pattern is not one this build knows") != std::string::npos,
                 pattern.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestLmTokenizer)
#include "tst_lm_tokenizer.moc"

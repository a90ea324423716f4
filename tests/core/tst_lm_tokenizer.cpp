#include "uae/lm_tokenizer.h"

#include "bpe_merge.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <unordered_map>

using namespace uae;

namespace {
const std::string kGpt2 = UAE_SHARED_DIR "/models/gpt2-tokenizer";
const std::string kGoldens = UAE_TEST_DATA_DIR "/tokenizer/gpt2_goldens.jsonl";
const std::string kTok512 = UAE_SHARED_DIR "/models/stories260K/tok512.bin";

// The merge loops as they were before bpe_merge.cpp, rescanning every pair per step: the
// reference the O(n log n) versions must equal.
std::vector<std::string> referenceMergeByRank(std::vector<std::string> parts,
                                              const std::unordered_map<std::string, int>& ranks) {
    while (parts.size() > 1) {
        int best = std::numeric_limits<int>::max();
        size_t at = 0;
        for (size_t k = 0; k + 1 < parts.size(); ++k)
            if (auto it = ranks.find(parts[k] + " " + parts[k + 1]); it != ranks.end() && it->second < best)
                best = it->second, at = k;
        if (best == std::numeric_limits<int>::max())
            break;
        const std::string left = parts[at], right = parts[at + 1];
        std::vector<std::string> merged;
        for (size_t k = 0; k < parts.size(); ++k) {
            if (k + 1 < parts.size() && parts[k] == left && parts[k + 1] == right) {
                merged.push_back(left + right);
                ++k;
            } else {
                merged.push_back(parts[k]);
            }
        }
        parts = std::move(merged);
    }
    return parts;
}

struct ScoredVocab {
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::unordered_map<std::string, std::int32_t> ids;
};

void referenceMergeByScore(std::vector<std::int32_t>& t, const ScoredVocab& v) {
    while (true) {
        float best = -1e10f;
        std::int32_t bestId = -1;
        size_t bestAt = 0;
        for (size_t i = 0; i + 1 < t.size(); ++i) {
            auto it = v.ids.find(v.pieces[static_cast<size_t>(t[i])] + v.pieces[static_cast<size_t>(t[i + 1])]);
            if (it != v.ids.end() && v.scores[static_cast<size_t>(it->second)] > best)
                best = v.scores[static_cast<size_t>(it->second)], bestId = it->second, bestAt = i;
        }
        if (bestId < 0)
            break;
        t[bestAt] = bestId;
        t.erase(t.begin() + static_cast<std::ptrdiff_t>(bestAt) + 1);
    }
}

// Texts of every kind the tokenizers meet: prose, code, numbers, Unicode, whitespace runs, long
// words, repeated characters; plus `random` strings over a small alphabet (many merges apply).
std::vector<std::string> varietyTexts(int random, const std::string& alphabet, std::uint32_t seed) {
    std::vector<std::string> texts = {
        "Once upon a time, there was a little girl named Lily. She loved to play outside.",
        "We evaluate on QASPER (Dasigi et al., 2021): 1,585 papers; F1 = 0.3342 +- 0.012.",
        "int main() { return x->y[3] == 0x7f ? -1 : 42; } // comment\n\tindent",
        "Ünïcödé, naïve café, 東京, Привет, emoji 🙂 and combining e\u0301.",
        "   leading and trailing spaces   \n\n\nnewlines\r\n",
        std::string(300, 'a'),
        std::string(257, ' '),
        "abababababababababababababababababababababababababab",
        "aaaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbaaaaaaaaaaaaaa",
        "Pneumonoultramicroscopicsilicovolcanoconiosisantidisestablishmentarianismsupercalifragilistic",
    };
    std::mt19937 rng(seed);
    for (int i = 0; i < random; ++i) {
        std::string s;
        const int n = 1 + static_cast<int>(rng() % 80);
        for (int k = 0; k < n; ++k)
            s += alphabet[rng() % alphabet.size()];
        texts.push_back(s);
    }
    return texts;
}

// GPT-2's merge ranks from vocab.bpe, keyed as TokenizerByteBpe keys them (first rank wins).
std::unordered_map<std::string, int> gpt2Ranks() {
    std::unordered_map<std::string, int> ranks;
    std::ifstream in(kGpt2 + "/vocab.bpe");
    int r = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.starts_with("#version") && !line.empty())
            ranks.emplace(line, r++);
    return ranks;
}

// Random merges over `alphabet`, each joining two tokens that exist by then as BPE training does;
// `shuffled` ranks them in random order instead (merges that create pairs ranked below themselves).
std::unordered_map<std::string, int> randomRanks(const std::string& alphabet, bool shuffled, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::string> tokens;
    for (char c : alphabet)
        tokens.emplace_back(1, c);
    std::vector<std::string> keys;
    for (int i = 0; i < 60; ++i) {
        const auto& a = tokens[rng() % tokens.size()];
        const auto& b = tokens[rng() % tokens.size()];
        keys.push_back(a + " " + b);
        tokens.push_back(a + b);
    }
    if (shuffled)
        std::shuffle(keys.begin(), keys.end(), rng);
    std::unordered_map<std::string, int> ranks;
    for (size_t r = 0; r < keys.size(); ++r)
        ranks.emplace(keys[r], static_cast<int>(r));
    return ranks;
}

// A text's byte-level words: split before each space; printable ASCII stands for itself and a
// space for "Ġ", as in GPT-2's byte map (other bytes stay raw: no merge matches them).
std::vector<std::vector<std::string>> byteLevelWords(const std::string& text) {
    std::vector<std::vector<std::string>> words(1);
    for (char c : text) {
        if (c == ' ' && !words.back().empty())
            words.emplace_back();
        words.back().push_back(c == ' ' ? std::string("\u0120") : std::string(1, c));
    }
    return words;
}

ScoredVocab readTok512() {
    ScoredVocab v;
    std::ifstream in(kTok512, std::ios::binary);
    std::int32_t maxLength = 0;
    in.read(reinterpret_cast<char*>(&maxLength), 4);
    for (std::int32_t i = 0; i < 512; ++i) {
        float score = 0;
        std::int32_t length = 0;
        in.read(reinterpret_cast<char*>(&score), 4);
        in.read(reinterpret_cast<char*>(&length), 4);
        std::string piece(static_cast<size_t>(length), '\0');
        in.read(piece.data(), length);
        v.ids.emplace(piece, i);
        v.pieces.push_back(piece);
        v.scores.push_back(score);
    }
    return v;
}

// Pieces over "abc" with scores that tie, sit at the -1e10 cut-off, or are -inf or NaN.
ScoredVocab randomScored(std::uint32_t seed) {
    std::mt19937 rng(seed);
    ScoredVocab v;
    const float odd[] = {
        0.f,  1.f, 1.f, 2.f, -1e10f, -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
        -3.5f};
    auto add = [&](const std::string& p) {
        if (v.ids.emplace(p, static_cast<std::int32_t>(v.pieces.size())).second) {
            v.pieces.push_back(p);
            v.scores.push_back(odd[rng() % std::size(odd)]);
        }
    };
    for (const char* c : {"a", "b", "c"})
        add(c);
    for (int i = 0; i < 80; ++i)
        add(v.pieces[rng() % v.pieces.size()] + v.pieces[rng() % v.pieces.size()]);
    return v;
}

// llama2.c's first step: one id per UTF-8 character found in the vocabulary, else one per byte (3 + byte).
std::vector<std::int32_t> charIds(const std::string& text, const ScoredVocab& v) {
    std::vector<std::int32_t> t;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        n = std::min(n, text.size() - i);
        if (auto it = v.ids.find(text.substr(i, n)); it != v.ids.end())
            t.push_back(it->second);
        else
            for (size_t b = 0; b < n; ++b)
                t.push_back(static_cast<std::int32_t>(static_cast<unsigned char>(text[i + b])) + 3);
        i += n;
    }
    return t;
}

// A llama2.c tokenizer.bin: header, then (score, length, bytes) per token.
QByteArray llama2cFile(std::int32_t maxLength, const std::vector<std::pair<std::int32_t, QByteArray>>& tokens) {
    QByteArray b;
    auto put = [&](const void* p, int n) { b.append(static_cast<const char*>(p), n); };
    put(&maxLength, 4);
    for (const auto& [length, bytes] : tokens) {
        const float score = 0;
        put(&score, 4);
        put(&length, 4);
        b.append(bytes);
    }
    return b;
}
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
                                     << "model.vocab id -3 of 'a' is not an id";
        QTest::newRow("id beyond int32") << R"({"model": {"type": "BPE", "vocab": {"a": 4294967296}, "merges": []}, )" +
                                                pre + "}"
                                         << "model.vocab id 4294967296 of 'a' is not an id";
        QTest::newRow("fractional id") << R"({"model": {"type": "BPE", "vocab": {"a": 1.5}, "merges": []}, )" + pre +
                                              "}"
                                       << "model.vocab id 1.5 of 'a' is not an id";
        QTest::newRow("added token id") << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, )" + pre +
                                               R"(, "added_tokens": [{"id": 2147483647, "content": "<s>"}]})"
                                        << "added_tokens id 2147483647 of '<s>' is not an id";
        QTest::newRow("merge of one")
            << R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a"]]}, )" + pre + "}"
            << R"(model.merges[0] is not a "left right" string or a [left, right] pair: ["a"])";
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

    void mergeByRankMatchesReference_data() {
        QTest::addColumn<QString>("table");
        QTest::newRow("GPT-2's merges on byte-level words") << "gpt2";
        QTest::newRow("random merges in training order") << "ordered";
        QTest::newRow("random merges ranked out of order") << "shuffled";
        QTest::newRow("tokens containing the key's space (ambiguous keys)") << "spaces";
    }
    // The priority-queue merge equals the rescanning loop it replaced, on any table.
    void mergeByRankMatchesReference() {
        QFETCH(QString, table);
        if (table == "gpt2" && !m_json)
            QSKIP("shared GPT-2 tokenizer files not present");
        const std::string alphabet = table == "spaces" ? "ab " : "abc";
        const auto ranks = table == "gpt2" ? gpt2Ranks() : randomRanks(alphabet, table == "shuffled", 7);
        int compared = 0;
        for (std::uint32_t seed = 1; seed <= 20; ++seed) {
            const auto local = table == "gpt2" ? ranks : randomRanks(alphabet, table == "shuffled", seed);
            for (const auto& text : varietyTexts(50, alphabet, seed)) {
                std::vector<std::vector<std::string>> words;
                if (table == "gpt2") {
                    words = byteLevelWords(text);
                } else {
                    words.emplace_back();
                    for (char c : text)
                        words.back().emplace_back(1, c);
                }
                for (const auto& parts : words) {
                    QCOMPARE(bpe::mergeByRank(parts, local), referenceMergeByRank(parts, local));
                    ++compared;
                }
            }
            if (table == "gpt2")
                break; // one table: the variety texts are the same for every seed
        }
        QVERIFY(compared > 50);
    }

    void mergeByScoreMatchesReference_data() {
        QTest::addColumn<QString>("vocab");
        QTest::newRow("stories260K's tok512") << "tok512";
        QTest::newRow("random scores: ties, the -1e10 cut-off, -inf, NaN") << "random";
    }
    void mergeByScoreMatchesReference() {
        QFETCH(QString, vocab);
        if (vocab == "tok512" && !QFileInfo::exists(QString::fromStdString(kTok512)))
            QSKIP("shared stories260K tokenizer not present");
        for (std::uint32_t seed = 1; seed <= (vocab == "tok512" ? 1u : 30u); ++seed) {
            const auto v = vocab == "tok512" ? readTok512() : randomScored(seed);
            for (const auto& text : varietyTexts(60, "abc", seed)) {
                auto fast = charIds(text, v);
                if (vocab == "random" && std::any_of(fast.begin(), fast.end(), [&](auto id) {
                        return static_cast<size_t>(id) >= v.pieces.size();
                    }))
                    continue; // only the "abc" strings fit a three-letter vocabulary
                auto slow = fast;
                bpe::mergeByScore(fast, v.pieces, v.scores, v.ids);
                referenceMergeByScore(slow, v);
                QCOMPARE(fast, slow);
            }
        }
    }

    // End to end: TokenizerLlama2c::encode = dummy prefix + characters + the reference merge loop.
    void llama2cEncodeMatchesReference() {
        if (!QFileInfo::exists(QString::fromStdString(kTok512)))
            QSKIP("shared stories260K tokenizer not present");
        auto tok = TokenizerLlama2c::load(kTok512, 512);
        QVERIFY2(tok.ok(), tok.error().c_str());
        const auto v = readTok512();
        for (const auto& text : varietyTexts(100, "abcdefghij .,", 3)) {
            auto want = charIds(text, v);
            want.insert(want.begin(), v.ids.at(" "));
            referenceMergeByScore(want, v);
            want.insert(want.begin(), 1);
            QCOMPARE(tok.value()->encode(text, true), want);
        }
    }

    // A megabyte of text (one line) tokenizes: a regression guard against quadratic merges (the
    // rescanning loops took minutes on 100 kB); ctest's timeout is the limit, nothing is timed.
    void megabyteLine() {
        std::string line;
        while (line.size() < 1'000'000)
            line += "Retrieval with BM25 and dense encoders over 1,585 QASPER papers; ";
        const std::string word(100'000, 'e');
        if (QFileInfo::exists(QString::fromStdString(kTok512))) {
            auto tok = TokenizerLlama2c::load(kTok512, 512);
            QVERIFY2(tok.ok(), tok.error().c_str());
            QVERIFY(tok.value()->encode(line, false).size() > 100'000);
            QVERIFY(!tok.value()->encode(word, false).empty());
        }
        if (m_json) {
            QVERIFY(m_json->encode(line, false).size() > 100'000);
            QVERIFY(!m_json->encode(word, false).empty());
        }
    }

    void llama2cLoadErrors_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("vocab");
        QTest::addColumn<QString>("expected");
        const std::vector<std::pair<std::int32_t, QByteArray>> two = {{1, "a"}, {2, "bc"}};
        QTest::newRow("empty file") << QByteArray() << 2 << "the file ends inside the header (max_token_length";
        QTest::newRow("max_token_length 0") << llama2cFile(0, two) << 2 << "header max_token_length = 0 is not in 1..";
        QTest::newRow("max_token_length negative") << llama2cFile(-7, two) << 2 << "header max_token_length = -7";
        QTest::newRow("max_token_length absurd")
            << llama2cFile(1 << 30, two) << 2 << "header max_token_length = 1073741824 is not in 1..65536";
        QTest::newRow("token longer than max_token_length")
            << llama2cFile(1, two) << 2 << "token 1 of 2: length = 2 is not in 0..max_token_length (1)";
        QTest::newRow("negative token length")
            << llama2cFile(4, {{1, "a"}, {-3, ""}}) << 2 << "token 1 of 2: length = -3";
        QTest::newRow("vocab truncated") << llama2cFile(4, two) << 3
                                         << "token 2 of 3: the file ends before its score and length";
        QTest::newRow("truncated inside a piece")
            << llama2cFile(4, two).chopped(1) << 2 << "token 1 of 2: the file ends inside its 2 bytes";
        QTest::newRow("vocab size 0") << llama2cFile(4, two) << 0 << "vocab_size is 0";
    }
    void llama2cLoadErrors() {
        QFETCH(QByteArray, file);
        QFETCH(int, vocab);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("tokenizer.bin");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(file);
        f.close();
        auto tok = TokenizerLlama2c::load(path.toStdString(), vocab);
        QVERIFY(!tok.ok());
        QVERIFY2(tok.error().find(path.toStdString() + ": ") == 0, tok.error().c_str());
        QVERIFY2(tok.error().find(expected.toStdString()) != std::string::npos, tok.error().c_str());
    }

    void bpeJsonErrors_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no merges") << R"({"type": "BPE", "vocab": {"a": 0}})"
                                   << "model.merges is missing";
        QTest::newRow("no vocab") << R"({"type": "BPE", "merges": []})"
                                  << "model.vocab is missing";
        QTest::newRow("merges not a list") << R"({"type": "BPE", "vocab": {}, "merges": "a b"})"
                                           << "model.merges is not a list of merges (found string)";
        QTest::newRow("vocab not an object") << R"({"type": "BPE", "vocab": [], "merges": []})"
                                             << "model.vocab is not an object";
        QTest::newRow("merge is a number") << R"({"type": "BPE", "vocab": {}, "merges": ["a b", 7]})"
                                           << "model.merges[1] is not a \"left right\" string";
        QTest::newRow("merge without space") << R"({"type": "BPE", "vocab": {}, "merges": ["ab"]})"
                                             << "model.merges[0] 'ab' has no space";
        QTest::newRow("negative id") << R"({"type": "BPE", "vocab": {"a": -1}, "merges": []})"
                                     << "model.vocab id -1 of 'a' is not an id";
        QTest::newRow("huge id") << R"({"type": "BPE", "vocab": {"a": 2147483647}, "merges": []})"
                                 << "model.vocab id 2147483647 of 'a'";
    }
    // Each names the file and the field; the WordPiece loader is not asked (issue 13).
    void bpeJsonErrors() {
        QFETCH(QString, model);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        std::ofstream(path) << R"({"pre_tokenizer": {"type": "ByteLevel"}, "model": )" << model.toStdString() << "}";
        QVERIFY(TokenizerByteBpe::holdsBpe(dir.path().toStdString()));
        auto tok = TokenizerByteBpe::fromDir(dir.path().toStdString());
        QVERIFY(!tok.ok());
        QVERIFY2(tok.error().find(path + ": ") == 0, tok.error().c_str());
        QVERIFY2(tok.error().find(expected.toStdString()) != std::string::npos, tok.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestLmTokenizer)
#include "tst_lm_tokenizer.moc"

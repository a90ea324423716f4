// Tokenizer encode time against input size, on real text (QASPER paragraphs) and on pathological
// inputs: a word without spaces, one long line, one character repeated. Every tokenizer the
// workbench ships: llama2.c's tokenizer.bin, GPT-2's byte-level BPE (tokenizer.json), the
// SentencePiece-style BPE of a Llama-2 tokenizer.json, a GGUF's own tokenizer (SmolLM2) and BERT's
// WordPiece. Each case prints its seconds, token count and a hash of the ids, so two builds can be
// compared for speed and for identical output (bench/run_tokenizer_bench.sh).
//
// An input is skipped when a quadratic extrapolation from the largest input measured so far that
// is not larger exceeds CAP seconds; the estimate is reported instead.
//
// usage: bench_tokenizers SHARED_MODELS_DIR QASPER_JSON TEST_DATA_DIR GGUF [CAP_SECONDS=20]
#include "uae/causal_lm.h"
#include "uae/lm_tokenizer.h"
#include "uae/tokenizer_wordpiece.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>

using namespace uae;
using Clock = std::chrono::steady_clock;

namespace {

using Encode = std::function<std::vector<std::int32_t>(const std::string&)>;

void collectParagraphs(const nlohmann::json& j, std::vector<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            if (key == "paragraphs" && value.is_array()) {
                for (const auto& p : value)
                    if (p.is_string() && !p.get<std::string>().empty())
                        out.push_back(p.get<std::string>());
            } else {
                collectParagraphs(value, out);
            }
        }
    } else if (j.is_array()) {
        for (const auto& v : j)
            collectParagraphs(v, out);
    }
}

// Paragraphs joined by sep, repeated as needed, cut to n bytes at a UTF-8 character boundary.
std::string realText(const std::vector<std::string>& paragraphs, size_t n, const std::string& sep) {
    std::string s;
    for (size_t i = 0; s.size() < n; i = (i + 1) % paragraphs.size())
        s += paragraphs[i] + sep;
    size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut);
}

// The letters of the real text, without spaces: one long word of real letter pairs.
std::string longWord(const std::string& text, size_t n) {
    std::string w;
    for (char c : text)
        if (std::isalpha(static_cast<unsigned char>(c)) && w.size() < n)
            w.push_back(c);
    return w;
}

struct Input {
    std::string name;
    std::string text;
};

std::vector<Input> inputs(const std::vector<std::string>& paragraphs) {
    const std::string big = realText(paragraphs, 1'000'000, "\n");
    std::vector<Input> in;
    for (auto [name, n] : {std::pair{"text_10k", 10'000}, {"text_100k", 100'000}, {"text_1m", 1'000'000}})
        in.push_back({name, realText(paragraphs, static_cast<size_t>(n), "\n")});
    in.push_back({"line_100k", realText(paragraphs, 100'000, " ")});
    in.push_back({"line_1m", realText(paragraphs, 1'000'000, " ")});
    in.push_back({"word_10k", longWord(big, 10'000)});
    in.push_back({"word_100k", longWord(big, 100'000)});
    in.push_back({"repeat_10k", std::string(10'000, 'a')});
    in.push_back({"repeat_100k", std::string(100'000, 'a')});
    return in;
}

std::uint64_t fnv1a(const std::vector<std::int32_t>& ids) {
    std::uint64_t h = 1469598103934665603ull;
    for (auto id : ids)
        for (int b = 0; b < 4; ++b) {
            h ^= (static_cast<std::uint32_t>(id) >> (8 * b)) & 0xFF;
            h *= 1099511628211ull;
        }
    return h;
}

template <class T> T must(Result<T> r) {
    if (!r) {
        std::fprintf(stderr, "bench_tokenizers: %s\n", r.error().c_str());
        std::exit(1);
    }
    return std::move(r.value());
}

// name -> encode function; the tokenizers stay alive in `keep`.
std::vector<std::pair<std::string, Encode>> tokenizers(const std::string& shared, const std::string& testData,
                                                       const std::string& gguf,
                                                       std::vector<std::shared_ptr<void>>& keep) {
    std::vector<std::pair<std::string, Encode>> out;
    auto addLm = [&](const std::string& name, std::unique_ptr<LmTokenizer> t) {
        std::shared_ptr<LmTokenizer> p(std::move(t));
        keep.push_back(p);
        out.emplace_back(name, [p](const std::string& s) { return p->encode(s, false); });
    };
    addLm("llama2c_stories260k", must(TokenizerLlama2c::load(shared + "/stories260K/tok512.bin", 512)));
    addLm("bpe_gpt2", must(TokenizerByteBpe::fromTokenizerJson(shared + "/gpt2-tokenizer/tokenizer.json")));
    addLm("bpe_spm_llama2_style",
          must(TokenizerByteBpe::fromTokenizerJson(testData + "/tokenizer/llama2_style_tokenizer.json")));
    addLm("gguf_smollm2", must(loadLmTokenizer(gguf)));
    std::shared_ptr<TokenizerWordPiece> wp(must(TokenizerWordPiece::fromModelDir(shared + "/bert-base-uncased-vocab")));
    keep.push_back(wp);
    out.emplace_back("wordpiece_bert", [wp](const std::string& s) { return wp->encode(s).ids; });
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr,
                     "usage: bench_tokenizers SHARED_MODELS_DIR QASPER_JSON TEST_DATA_DIR GGUF [CAP_SECONDS=20]\n");
        return 2;
    }
    const double cap = argc > 5 ? std::atof(argv[5]) : 20.0;
    std::ifstream qin(argv[2]);
    std::vector<std::string> paragraphs;
    collectParagraphs(nlohmann::json::parse(qin), paragraphs);
    const auto in = inputs(paragraphs);
    std::vector<std::shared_ptr<void>> keep;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [name, encode] : tokenizers(argv[1], argv[3], argv[4], keep)) {
        std::vector<std::pair<size_t, double>> measured; // (bytes, seconds)
        for (const auto& input : in) {
            nlohmann::json row = {{"tokenizer", name}, {"input", input.name}, {"bytes", input.text.size()}};
            // From the largest measured input not above this one, as if the cost were quadratic.
            double estimate = 0;
            size_t from = 0;
            for (const auto& [bytes, seconds] : measured)
                if (bytes <= input.text.size() && bytes >= from) {
                    from = bytes;
                    const double ratio = static_cast<double>(input.text.size()) / static_cast<double>(bytes);
                    estimate = seconds * ratio * ratio;
                }
            if (estimate > cap) {
                row["skipped_estimate_s"] = estimate;
            } else {
                const auto t0 = Clock::now();
                const auto ids = encode(input.text);
                const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
                measured.emplace_back(input.text.size(), seconds);
                row["seconds"] = seconds;
                row["tokens"] = ids.size();
                row["hash"] = std::to_string(fnv1a(ids));
            }
            std::fprintf(stderr, "%s\n", row.dump().c_str());
            rows.push_back(row);
        }
    }
    std::printf("%s\n", rows.dump(1).c_str());
    return 0;
}

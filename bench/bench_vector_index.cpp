// The scale benchmark of stored FAISS indexes (issue 15 item 4). Corpus: every sentence of every
// QASPER paper of the given splits, then windows of 2, 3, ... consecutive sentences of a paper,
// until --passages are reached; encoded with GloVe (mean of word vectors, L2-normalised)
// and cached in --vectors. Queries: the splits' questions. For each corpus size (evenly spaced rows
// of the corpus) and each index setting: build time, memory (serialised size), queries/s at batch 1
// and batch 64, recall@10 against exact search. One JSON object per line on stdout.
//   bench_vector_index --data DIR --glove DIR --vectors FILE [--passages N] [--queries N] [--sizes a,b,c]
#include "uae/encoder_glove.h"
#include "uae/qasper.h"
#include "uae/vector_index.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace uae;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> parseArgs(int argc, char** argv) {
    std::map<std::string, std::string> a{
        {"passages", "1000000"}, {"queries", "1000"}, {"sizes", "10000,100000,1000000"}, {"splits", "dev,train"}};
    for (int i = 1; i + 1 < argc; i += 2)
        a[std::string(argv[i]).substr(2)] = argv[i + 1];
    return a;
}

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string x; std::getline(in, x, ',');)
        out.push_back(x);
    return out;
}

// Sentences: ends at '.', '?' or '!' followed by a space and an upper-case letter or digit
// (keeps "e.g. the" and "3.5" together, which a split at every '.' would not).
std::vector<std::string> sentences(const std::string& p) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i + 2 < p.size(); ++i)
        if ((p[i] == '.' || p[i] == '?' || p[i] == '!') && p[i + 1] == ' ' &&
            (std::isupper(static_cast<unsigned char>(p[i + 2])) ||
             std::isdigit(static_cast<unsigned char>(p[i + 2])))) {
            out.push_back(p.substr(start, i + 1 - start));
            start = i + 2;
        }
    if (start < p.size())
        out.push_back(p.substr(start));
    return out;
}

struct Corpus {
    std::vector<std::string> passages, questions;
    std::vector<long> byWidth; // passages of 1, 2, ... sentences
};

// Every sentence of every paper, then windows of 2, 3, ... consecutive sentences of a paper (across
// its paragraphs, in reading order) until `want` passages: real text, each passage distinct.
Corpus makeCorpus(const std::string& dir, const std::vector<std::string>& splits, size_t want) {
    Corpus c;
    std::vector<std::vector<std::string>> papers;
    for (const auto& split : splits) {
        auto data = loadQasper(dir, split);
        if (!data) {
            std::fprintf(stderr, "%s\n", data.error().c_str());
            std::exit(1);
        }
        for (const auto& paper : data->papers) {
            papers.emplace_back();
            for (const auto& p : paper.paragraphs)
                for (auto& s : sentences(p.text))
                    if (s.find_first_not_of(" \t\n") != std::string::npos)
                        papers.back().push_back(std::move(s));
        }
        for (const auto& q : data->questions)
            c.questions.push_back(q.text);
    }
    for (size_t width = 1; width <= 16 && c.passages.size() < want; ++width) {
        c.byWidth.push_back(0);
        for (const auto& s : papers)
            for (size_t i = 0; i + width <= s.size() && c.passages.size() < want; ++i) {
                std::string text = s[i];
                for (size_t w = 1; w < width; ++w)
                    text += " " + s[i + w];
                c.passages.push_back(std::move(text));
                ++c.byWidth.back();
            }
    }
    return c;
}

// The passages' vectors: from the cache file when it holds these passages, else encoded and saved.
std::vector<float> passageVectors(EncoderGlove& glove, const Corpus& c, const std::string& cache) {
    const std::string key = corpusFingerprint(c.passages) + encoderFingerprint(glove);
    std::vector<float> v(c.passages.size() * static_cast<size_t>(glove.dim()));
    std::ifstream in(cache, std::ios::binary);
    std::string stored(key.size(), '\0');
    if (in.read(stored.data(), static_cast<std::streamsize>(stored.size())) && stored == key &&
        in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float))))
        return v;
    const auto start = Clock::now();
    for (size_t at = 0; at < c.passages.size(); at += 10000) {
        std::vector<std::string> batch(c.passages.begin() + at,
                                       c.passages.begin() + std::min(c.passages.size(), at + 10000));
        const auto e = glove.encode(batch, EncodeRole::Passage);
        std::copy(e.begin(), e.end(), v.begin() + at * glove.dim());
    }
    std::fprintf(stderr, "encoded %zu passages in %.1f s\n", c.passages.size(),
                 std::chrono::duration<double>(Clock::now() - start).count());
    std::ofstream out(cache, std::ios::binary | std::ios::trunc);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    return v;
}

std::vector<float> rowsEvenly(const std::vector<float>& all, int dim, size_t n) {
    const size_t total = all.size() / dim;
    std::vector<float> out(n * dim);
    for (size_t i = 0; i < n; ++i)
        std::copy_n(all.begin() + (i * total / n) * dim, dim, out.begin() + i * dim);
    return out;
}

struct Setting {
    std::string factory;
    std::string param; // nprobe | efSearch | empty
    std::vector<int> values;
};

std::vector<Setting> settingsFor(size_t n) {
    // IVF lists ~ 4 sqrt(n): 4096 at 1M as the issue names, fewer where the corpus is smaller.
    const std::string nlist = n >= 1000000 ? "4096" : n >= 100000 ? "1024" : "256";
    return {{"Flat", "", {0}},
            {"IVF" + nlist + ",Flat", "nprobe", {1, 4, 16, 32, 64, 128, 256}},
            {"HNSW32", "efSearch", {16, 32, 64, 128, 256}},
            {"IVF" + nlist + ",PQ50np", "nprobe", {4, 16, 64}}}; // np: no polysemous training (slow, unused)
}

struct Measured {
    double qpsBatch1 = 0, qpsBatch64 = 0;
    std::vector<std::int64_t> labels; // [nq x 10], from the batched search
};

Measured measure(const VectorIndex& index, const std::vector<float>& q, int dim, IndexSearchParams p) {
    const std::int64_t nq = static_cast<std::int64_t>(q.size()) / dim, k = 10;
    Measured m;
    std::vector<float> scores, s1;
    std::vector<std::int64_t> l1;
    m.labels.resize(static_cast<size_t>(nq * k));
    auto start = Clock::now();
    for (std::int64_t at = 0; at < nq; at += 64) {
        const std::int64_t rows = std::min<std::int64_t>(64, nq - at);
        if (auto st = index.search(q.data() + at * dim, rows, k, p, s1, l1); !st) {
            std::fprintf(stderr, "%s\n", st.error().c_str());
            std::exit(1);
        }
        std::copy(l1.begin(), l1.end(), m.labels.begin() + at * k);
    }
    m.qpsBatch64 = nq / std::chrono::duration<double>(Clock::now() - start).count();
    const std::int64_t single = std::min<std::int64_t>(nq, 200); // batch 1: each query alone
    start = Clock::now();
    for (std::int64_t i = 0; i < single; ++i)
        (void)index.search(q.data() + i * dim, 1, k, p, s1, l1);
    m.qpsBatch1 = single / std::chrono::duration<double>(Clock::now() - start).count();
    return m;
}

double recallAt10(const std::vector<std::int64_t>& exact, const std::vector<std::int64_t>& got) {
    long hit = 0;
    for (size_t q = 0; q < exact.size() / 10; ++q) {
        const std::set<std::int64_t> truth(exact.begin() + q * 10, exact.begin() + q * 10 + 10);
        for (size_t i = 0; i < 10; ++i)
            hit += truth.count(got[q * 10 + i]);
    }
    return double(hit) / double(exact.size());
}

// One index setting at one corpus size; `exact` holds Flat's answers (Flat is measured first).
void benchSetting(const Setting& s, const std::vector<float>& base, const std::vector<float>& queries, int dim,
                  const std::string& file, std::vector<std::int64_t>& exact) {
    const size_t n = base.size() / dim;
    {
        IndexMeta meta;
        meta.factory = s.factory, meta.dim = dim, meta.encoder = "glove", meta.corpus = "bench";
        JobContext ctx;
        const std::int64_t sample = std::max<std::int64_t>(50000, 40 * 4096);
        auto built = VectorIndex::build(base, meta, ctx, sample);
        if (!built) {
            std::fprintf(stderr, "%s\n", built.error().c_str());
            return;
        }
        auto& index = *built.value();
        (void)index.save(file);
        const auto loadStart = Clock::now();
        auto loaded = VectorIndex::load(file);
        const double loadSeconds = std::chrono::duration<double>(Clock::now() - loadStart).count();
        for (int v : s.values) {
            IndexSearchParams p;
            (s.param == "nprobe" ? p.nprobe : p.efSearch) = v;
            const auto m = measure(index, queries, dim, p);
            if (exact.empty())
                exact = m.labels; // Flat comes first: exact search
            std::printf("{\"n\": %zu, \"factory\": \"%s\", \"param\": \"%s\", \"value\": %d, \"build_s\": %.2f, "
                        "\"train_s\": %.2f, \"memory_mb\": %.1f, \"load_s\": %.3f, \"mmap\": %s, \"qps_b1\": %.1f, "
                        "\"qps_b64\": %.1f, \"recall10\": %.4f}\n",
                        n, s.factory.c_str(), s.param.c_str(), v, index.meta().buildSeconds, index.meta().trainSeconds,
                        index.meta().memoryBytes / 1e6, loadSeconds,
                        loaded && loaded.value()->memoryMapped() ? "true" : "false", m.qpsBatch1, m.qpsBatch64,
                        recallAt10(exact, m.labels));
            std::fflush(stdout);
        }
    }
}
} // namespace

int main(int argc, char** argv) {
    auto a = parseArgs(argc, argv);
    auto glove = EncoderGlove::load(a["glove"]);
    if (!glove) {
        std::fprintf(stderr, "%s\n", glove.error().c_str());
        return 1;
    }
    const Corpus c = makeCorpus(a["data"], splitList(a["splits"]), std::stoul(a["passages"]));
    std::string widths;
    for (long w : c.byWidth)
        widths += (widths.empty() ? "" : ", ") + std::to_string(w);
    std::printf("{\"corpus\": {\"passages\": %zu, \"by_sentences\": [%s], \"questions\": %zu, \"splits\": \"%s\", "
                "\"encoder\": \"glove-6B-100d-top50k mean\"}}\n",
                c.passages.size(), widths.c_str(), c.questions.size(), a["splits"].c_str());
    std::fflush(stdout);
    const auto vectors = passageVectors(*glove.value(), c, a["vectors"]);
    std::vector<std::string> qtexts(c.questions.begin(),
                                    c.questions.begin() + std::min(c.questions.size(), std::stoul(a["queries"])));
    const auto queries = glove.value()->encode(qtexts, EncodeRole::Query);
    // Setting by setting, each at every size: the cheap families (Flat, IVF) reach 1M first, so a
    // run stopped early on 2 cores still has their growth from 10k to 1M.
    std::map<std::string, std::vector<std::int64_t>> exact;
    for (size_t family = 0; family < settingsFor(0).size(); ++family)
        for (const auto& size : splitList(a["sizes"])) {
            const auto base = rowsEvenly(vectors, glove.value()->dim(), std::stoul(size));
            benchSetting(settingsFor(std::stoul(size))[family], base, queries, glove.value()->dim(),
                         a["vectors"] + ".index", exact[size]);
        }
    return 0;
}

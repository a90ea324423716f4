// Encoding throughput of the LibTorch BERT bi-encoder on real QASPER paragraph lengths.
// Writes the token ids it encodes so bert_eager.py runs PyTorch eager on exactly the same input,
// and the embeddings so the two can be compared.
//
// usage: bench_bert_encode MODEL_DIR QASPER_DIR N THREADS BATCH OUT_PREFIX
#include "uae/device.h"
#include "uae/encoder_bert.h"
#include "uae/qasper.h"
#include "uae/tokenizer.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

using namespace uae;

int main(int argc, char** argv) {
    uae::ensureThreadingEnvironment(argv);
    if (argc != 7) {
        std::fprintf(stderr, "usage: %s MODEL_DIR QASPER_DIR N THREADS BATCH OUT_PREFIX\n", argv[0]);
        return 2;
    }
    const std::string modelDir = argv[1], dataDir = argv[2], out = argv[6];
    const long n = std::stol(argv[3]);
    const int threads = std::stoi(argv[4]), batch = std::stoi(argv[5]);
    configureThreads(threads);
    auto data = loadQasper(dataDir, "dev");
    if (!data) {
        std::fprintf(stderr, "%s\n", data.error().c_str());
        return 1;
    }
    std::vector<std::string> all;
    for (const auto& p : data->papers)
        for (const auto& para : p.paragraphs)
            all.push_back(para.text);
    // Every k-th paragraph: the sample keeps the split's length distribution.
    std::vector<std::string> texts;
    const size_t step = std::max<size_t>(1, all.size() / static_cast<size_t>(n));
    for (size_t i = 0; i < all.size() && static_cast<long>(texts.size()) < n; i += step)
        texts.push_back(all[i]);

    BertOptions options;
    options.device = "cpu";
    options.maxBatch = batch;
    options.maxTokensPerBatch = batch * 512;
    auto enc = EncoderBert::load(modelDir, options);
    if (!enc) {
        std::fprintf(stderr, "%s\n", enc.error().c_str());
        return 1;
    }
    auto& e = *enc.value();
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::vector<std::int32_t>> ids;
    long tokens = 0;
    for (const auto& t : texts) {
        ids.push_back(e.tokenizer().encode(t, 512).ids);
        tokens += static_cast<long>(ids.back().size());
    }
    const double tokenizeS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
        std::ofstream f(out + ".ids.jsonl");
        for (const auto& row : ids) {
            f << '[';
            for (size_t i = 0; i < row.size(); ++i)
                f << (i ? "," : "") << row[i];
            f << "]\n";
        }
    }
    e.encodeIds({ids[0], ids[1]}); // warm-up
    const auto before = e.stats();
    const auto t1 = std::chrono::steady_clock::now();
    const auto vectors = e.encodeIds(ids);
    const double encodeS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const auto after = e.stats();
    std::ofstream(out + ".cpp.f32", std::ios::binary)
        .write(reinterpret_cast<const char*>(vectors.data()), static_cast<std::streamsize>(vectors.size() * 4));
    std::printf("{\"passages\": %zu, \"tokens\": %ld, \"threads\": %d, \"batch\": %d, \"tokenize_s\": %.4f, "
                "\"encode_s\": %.3f, \"pps\": %.3f, \"padded_tokens\": %ld, \"device\": \"%s\"}\n",
                texts.size(), tokens, threads, batch, tokenizeS, encodeS, static_cast<double>(texts.size()) / encodeS,
                after.paddedTokens - before.paddedTokens, e.device().c_str());
    return 0;
}

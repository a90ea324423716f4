#include "uae/encoder_glove.h"

#include "uae/safetensors.h"
#include "uae/sha256.h"
#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace uae {

EncoderGlove::EncoderGlove(std::vector<std::string> vocab, std::vector<float> table, int dim, std::string source)
    : m_vocab(std::move(vocab)), m_table(std::move(table)), m_dim(dim), m_source(std::move(source)) {
    m_index.reserve(m_vocab.size());
    for (size_t i = 0; i < m_vocab.size(); ++i)
        m_index.emplace(m_vocab[i], static_cast<int>(i)); // first occurrence wins
}

Result<std::unique_ptr<EncoderGlove>> EncoderGlove::load(const std::string& dir) {
    const fs::path vocabPath = fs::path(dir) / "vocab.txt";
    std::ifstream in(vocabPath);
    if (!in)
        return fail(vocabPath.string() + ": missing or unreadable vocabulary");
    std::vector<std::string> vocab;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        vocab.push_back(line);
    }
    if (vocab.empty())
        return fail(vocabPath.string() + ": vocabulary is empty");
    // The folder's safetensors file that holds an "embeddings" table (others, e.g. trained
    // checkpoints saved beside it, are ignored).
    std::vector<std::string> candidates;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".safetensors")
            candidates.push_back(e.path().string());
    std::sort(candidates.begin(), candidates.end());
    std::shared_ptr<SafetensorsFile> file;
    std::string weights;
    for (const auto& c : candidates) {
        auto f = SafetensorsFile::open(c);
        if (f && f.value()->find("embeddings")) {
            file = f.value();
            weights = c;
            break;
        }
    }
    if (!file)
        return fail(dir + ": no .safetensors file with an 'embeddings' table");
    const TensorInfo* t = file->find("embeddings");
    if (t->shape.size() != 2)
        return fail(weights + ": 'embeddings' has " + std::to_string(t->shape.size()) +
                    " dimensions, expected 2 [vocab, dim]");
    if (t->shape[0] != static_cast<std::int64_t>(vocab.size()))
        return fail(weights + ": 'embeddings' has " + std::to_string(t->shape[0]) + " rows but " + vocabPath.string() +
                    " has " + std::to_string(vocab.size()) + " words");
    auto table = file->readFloat32("embeddings");
    if (!table)
        return fail(table.error());
    return std::make_unique<EncoderGlove>(std::move(vocab), std::move(table.value()), static_cast<int>(t->shape[1]),
                                          dir);
}

std::string EncoderGlove::configJson() const {
    return nlohmann::json{{"encoder", "glove"},      {"source", m_source}, {"dim", m_dim},
                          {"vocab", m_vocab.size()}, {"pooling", "mean"},  {"stopwords", true}}
        .dump();
}

std::string EncoderGlove::fingerprint() const {
    // The table itself, not the file's name or time: the same words and vectors are the same
    // encoder wherever the folder lies (20 MB for 50k x 100: ~0.1 s, once per index opened).
    Sha256 h;
    for (const auto& w : m_vocab)
        h.update(w.c_str(), w.size() + 1);
    h.update(m_table.data(), m_table.size() * sizeof(float));
    auto j = nlohmann::json::parse(configJson());
    j.erase("source");
    j["table_sha256"] = h.hex();
    return j.dump();
}

int EncoderGlove::lookup(const std::string& word) const {
    auto it = m_index.find(word);
    return it == m_index.end() ? -1 : it->second;
}

std::vector<float> EncoderGlove::encode(const std::vector<std::string>& texts, EncodeRole) {
    std::vector<float> out(texts.size() * static_cast<size_t>(m_dim), 0.0f);
    for (size_t i = 0; i < texts.size(); ++i) {
        float* row = out.data() + i * static_cast<size_t>(m_dim);
        int count = 0;
        for (const auto& w : text::contentWords(texts[i])) {
            const int id = lookup(w);
            if (id < 0)
                continue;
            const float* v = m_table.data() + static_cast<size_t>(id) * static_cast<size_t>(m_dim);
            for (int d = 0; d < m_dim; ++d)
                row[d] += v[d];
            ++count;
        }
        double norm = 0;
        for (int d = 0; d < m_dim; ++d)
            norm += static_cast<double>(row[d]) * row[d];
        // Mean pooling then L2 normalisation: the mean's 1/count cancels in the normalisation.
        if (count > 0 && norm > 0) {
            const float inv = static_cast<float>(1.0 / std::sqrt(norm));
            for (int d = 0; d < m_dim; ++d)
                row[d] *= inv;
        }
    }
    return out;
}

} // namespace uae

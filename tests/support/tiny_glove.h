#pragma once
// A small GloVe-style table (vocab.txt + safetensors, dimension 8, normal random values from a
// seed) over the words the fixture uses, so the GloVe paths run for real in tests.
#include "uae/safetensors.h"

#include <QDir>
#include <QString>

#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace uae::test {

inline void writeTinyGlove(const QString& dir, const std::vector<std::string>& vocab, unsigned seed) {
    std::ofstream v(QDir(dir).filePath("vocab.txt").toStdString());
    for (const auto& w : vocab)
        v << w << '\n';
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> table(vocab.size() * 8);
    for (auto& x : table)
        x = normal(rng);
    writeSafetensors(QDir(dir).filePath("glove.safetensors").toStdString(),
                     {{"embeddings", {static_cast<std::int64_t>(vocab.size()), 8}, table.data()}});
}

} // namespace uae::test

#pragma once
// Two towers behind one Encoder: questions through one model, passages through another. This is
// UAE-BERT trained with `--towers query`: the fine-tuned query tower beside the frozen base model,
// whose passage vectors come from the same persistent embedding cache the base encoder's own
// runs fill, so a corpus encoded (or indexed) with the base stays valid after training.
#include "uae/embedding_cache.h"
#include "uae/encoder.h"
#include "uae/result.h"

#include <memory>
#include <mutex>
#include <string>

namespace uae {

struct BertOptions;

class EncoderTowers final : public Encoder {
public:
    // Both towers must give vectors of the same dimension. name() is the query tower's.
    EncoderTowers(std::shared_ptr<Encoder> query, std::shared_ptr<Encoder> passage);

    std::string name() const override { return m_query->name(); }
    std::string configJson() const override;
    std::string fingerprint() const override { return m_query->fingerprint() + m_passage->fingerprint(); }
    int dim() const override { return m_query->dim(); }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override;
    std::string warning() const override;

private:
    std::shared_ptr<Encoder> m_query, m_passage;
};

// Serialises calls into an encoder that is not thread-safe, so a training thread and a
// background evaluation can share one frozen passage tower (and its cache file).
class LockedEncoder final : public Encoder {
public:
    explicit LockedEncoder(std::shared_ptr<Encoder> inner) : m_inner(std::move(inner)) {}
    std::string name() const override { return m_inner->name(); }
    std::string configJson() const override { return m_inner->configJson(); }
    std::string fingerprint() const override { return m_inner->fingerprint(); }
    int dim() const override { return m_inner->dim(); }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override {
        std::lock_guard lock(m_mutex);
        return m_inner->encode(texts, role);
    }
    std::string warning() const override { return m_inner->warning(); }

private:
    std::shared_ptr<Encoder> m_inner;
    std::mutex m_mutex;
};

// The frozen passage tower of a checkpoint: what `uae_towers.json` in a UAE-BERT folder names.
struct TowersFile {
    std::string towers = "both"; // query: only the query tower was trained; both: the folder is the whole model
    std::string passageModel;    // towers query: the base model, as the run named it (folder, id or fetched name)
    static constexpr const char* kName = "uae_towers.json";
    static Result<TowersFile> read(const std::string& folder); // a folder without the file: towers both
    Status write(const std::string& folder) const;
};

// The base encoder a BERT-family model is evaluated as (method "bert:NAME" for a fetched model,
// else "bert"), behind the persistent cache in cacheDir when it is not empty: the same vectors and
// the same cache file as `uae eval --method bert --model MODEL` (read only with CacheAccess::ReadOnly).
Result<std::shared_ptr<Encoder>> loadBaseBert(const std::string& model, const BertOptions& options,
                                              const std::string& cacheDir, CacheAccess access = CacheAccess::ReadWrite);

// A UAE-BERT checkpoint folder as one encoder: the folder itself for towers both, else the
// trained query tower with the base model's (cached) passage tower.
Result<std::shared_ptr<Encoder>> loadUaeBert(const std::string& folder, const BertOptions& options,
                                             const std::string& cacheDir);

} // namespace uae

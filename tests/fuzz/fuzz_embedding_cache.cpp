// The persistent embedding cache's reader: the input is the cache file of a 4-dimensional encoder;
// opening it (accept, truncate a torn record, or set it aside) and then encoding through it.
#include "fuzz_support.h"
#include "uae/embedding_cache.h"

#include <filesystem>

namespace {

class FakeEncoder final : public uae::Encoder {
public:
    std::string name() const override { return "fake"; }
    std::string configJson() const override { return "{}"; }
    int dim() const override { return 4; }
    std::vector<float> encode(const std::vector<std::string>& texts, uae::EncodeRole) override {
        std::vector<float> v;
        for (const auto& t : texts)
            for (int i = 0; i < 4; ++i)
                v.push_back(static_cast<float>(t.size() + static_cast<size_t>(i)));
        return v;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    const auto dir = uae::fuzz::scratchDir() / "cache";
    static const fs::path file = [&] {
        fs::create_directories(dir);
        // The file name follows from the encoder name and the fingerprint: ask a throwaway instance.
        return fs::path(uae::CachingEncoder(std::make_shared<FakeEncoder>(), dir.string(), "fuzz").path());
    }();
    fs::remove(file.string() + ".bad");
    uae::fuzz::writeInput(file, data, size);
    uae::CachingEncoder cache(std::make_shared<FakeEncoder>(), dir.string(), "fuzz");
    (void)cache.encode({"alpha", "beta", "alpha"}, uae::EncodeRole::Passage);
    (void)cache.encode({"alpha"}, uae::EncodeRole::Query);
    return 0;
}

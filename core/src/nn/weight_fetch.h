#pragma once
// Private: taking checkpoint tensors into LibTorch, each checked against the shape the config
// implies; the first problem is kept as a message naming the file and the tensor.
#include "uae/model_files.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace uae::detail {

// "[2, 3]": a shape for error messages.
inline std::string shapeText(const std::vector<std::int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i)
        r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

// Keeps the first of several failures while a loader goes on collecting tensors.
class FirstError {
public:
    const std::string& error() const { return m_error; }

protected:
    torch::Tensor failed(std::string message) {
        if (m_error.empty())
            m_error = std::move(message);
        return {};
    }

private:
    std::string m_error;
};

class WeightFetch : public FirstError {
public:
    WeightFetch(const WeightSet& weights, std::string dir, torch::Device device, torch::ScalarType dtype,
                std::string prefix = {})
        : m_w(weights), m_dir(std::move(dir)), m_device(device), m_dtype(dtype), m_prefix(std::move(prefix)) {}

    bool has(const std::string& name) const { return m_w.find(m_prefix + name) != nullptr; }

    // `aliases` are tried in order when `name` is absent (old checkpoint spellings). transpose: the
    // file stores [in, out] (GPT-2's Conv1D) and shape is given as stored.
    torch::Tensor operator()(const std::string& name, std::vector<std::int64_t> shape, bool transpose = false,
                             const std::vector<std::string>& aliases = {}) {
        const SafetensorsFile* file = nullptr;
        std::string key = m_prefix + name;
        const TensorInfo* t = m_w.find(key, &file);
        for (size_t a = 0; !t && a < aliases.size(); ++a)
            t = m_w.find(key = m_prefix + aliases[a], &file);
        if (!t)
            return failed(m_dir + ": checkpoint lacks tensor '" + m_prefix + name + "'");
        const bool isFloat = t->dtype == DType::F32 || t->dtype == DType::F16 || t->dtype == DType::BF16;
        if (t->shape != shape || !isFloat)
            return failed(file->path() + ": tensor '" + key + "' is " + dtypeName(t->dtype) + " " +
                          shapeText(t->shape) + " but config.json implies a float " + shapeText(shape));
        const auto type = t->dtype == DType::F16    ? torch::kHalf
                          : t->dtype == DType::BF16 ? torch::kBFloat16
                                                    : torch::kFloat;
        // from_blob views the mapped file; the copy to the target device and dtype owns its memory.
        auto view =
            torch::from_blob(const_cast<std::uint8_t*>(file->data(*t)), shape, torch::TensorOptions().dtype(type));
        // NaN or Inf weights give believable-looking metrics (issue 13): refuse them by name.
        if (!torch::isfinite(view).all().item<bool>())
            return failed(file->path() + ": tensor '" + key + "' holds NaN or infinite values");
        return (transpose ? view.t() : view).contiguous().to(m_device, m_dtype, false, true);
    }

private:
    const WeightSet& m_w;
    std::string m_dir;
    torch::Device m_device;
    torch::ScalarType m_dtype;
    std::string m_prefix;
};

} // namespace uae::detail

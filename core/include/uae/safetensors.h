#pragma once
// safetensors reader (memory-mapped) and writer. Layout: u64 little-endian header size N, N bytes
// of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data.
#include "uae/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace uae {

enum class DType { F32, F16, BF16, F64, I64, I32, U8 };
const char* dtypeName(DType t);
int dtypeSize(DType t);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // offsets into the data section
    std::uint64_t end = 0;
    std::int64_t numel() const;
};

class SafetensorsFile {
public:
    // Validates the header (size, JSON, dtypes, offsets inside the file, sizes matching shapes);
    // errors name the file and the problem.
    static Result<std::shared_ptr<SafetensorsFile>> open(const std::string& path);
    ~SafetensorsFile();

    const std::string& path() const { return m_path; }
    const std::map<std::string, TensorInfo>& tensors() const { return m_tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    const TensorInfo* find(const std::string& name) const;
    const std::uint8_t* data(const TensorInfo& t) const { return m_data + t.begin; }
    // Any float dtype converted to float32, row-major.
    Result<std::vector<float>> readFloat32(const std::string& name) const;

private:
    SafetensorsFile() = default;
    std::string m_path;
    void* m_map = nullptr;
    std::size_t m_mapSize = 0;
    const std::uint8_t* m_data = nullptr;
    std::map<std::string, TensorInfo> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

struct TensorToWrite {
    std::string name;
    std::vector<std::int64_t> shape;
    const float* values = nullptr; // written as F32
};

// Writes to path + ".tmp" then renames, so a crash never leaves a half-written file.
Status writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

} // namespace uae

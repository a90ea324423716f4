#pragma once
// GGUF reader (memory-mapped, v2 and v3, little-endian) and ggml block dequantisation.
// Layout: "GGUF", u32 version, u64 tensor count, u64 key/value count, the key/values, the tensor
// infos, padding to general.alignment, then the data section that tensor offsets point into.
// A GgufFile is immutable after open(): any thread may read it at the same time.
#include "uae/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace uae {

// ggml's tensor types (numbers as stored in the file). Gaps are types ggml has removed.
// clang-format off
enum class GgmlType : std::uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22,
    IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41
};
// clang-format on

// "Q4_1", ...; "type N" for a number ggml does not define (that text lives in a thread-local
// buffer, valid until the thread's next call with an unknown type).
const char* ggmlTypeName(GgmlType t);
// Whether ggmlTypeName(t) names a type this reader can size (every type listed above).
bool ggmlTypeKnown(GgmlType t);
// Elements per block (1 for plain types, 32 for Q4_0.., 256 for K-quants); 0 if unknown.
int ggmlBlockSize(GgmlType t);
// F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K.
bool ggmlCanDequantize(GgmlType t);
// Bytes for n elements of type t; an error if t is unknown, n < 0, n is not a multiple of the
// block size, or the size overflows.
Result<std::uint64_t> ggmlRowBytes(GgmlType t, std::int64_t n);
// Dequantises n elements (a multiple of the block size) from src (ggmlRowBytes(t, n) bytes, no
// alignment needed) into dst (n floats). Bit-for-bit the values of ggml-quants.c and gguf-py.
Status dequantize(GgmlType t, const std::uint8_t* src, std::int64_t n, float* dst);

// clang-format off
enum class GgufValueType : std::uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9,
    U64 = 10, I64 = 11, F64 = 12
};
// clang-format on
// "u8", "string", "array", ...; "type N" for an unknown number (thread-local, as above).
const char* ggufValueTypeName(GgufValueType t);

// One metadata value. Scalars: integers fill both i and u (u64 values above INT64_MAX wrap in i),
// F32/F64 fill f, Bool fills b, String fills s. Arrays: count elements of elemType; integer and
// bool elements go to ints (u64 elements as their bit pattern), F32/F64 to floats, strings to
// strings; an array of arrays keeps only its count (its contents are checked, then skipped).
struct GgufValue {
    GgufValueType type = GgufValueType::U8;
    GgufValueType elemType = GgufValueType::U8; // arrays only
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double f = 0;
    bool b = false;
    std::string s;
    std::vector<std::string> strings;
    std::vector<std::int64_t> ints;
    std::vector<double> floats;
    std::uint64_t count = 0;
};

struct GgufTensor {
    std::string name;
    std::vector<std::int64_t> dims; // GGUF order: dims[0] varies fastest (the row length)
    GgmlType type = GgmlType::F32;
    std::uint64_t offset = 0; // into the data section
    std::uint64_t bytes = 0;  // ggmlRowBytes(type, numel())
    std::int64_t numel() const;
    // PyTorch shape: dims reversed (empty dims give a 0-d tensor).
    std::vector<std::int64_t> shape() const { return {dims.rbegin(), dims.rend()}; }
};

class GgufFile {
public:
    // Maps the file and validates everything (header, every key/value, tensor infos, alignment,
    // data ranges) without trusting a single count or length; errors name the file and the field.
    static Result<std::shared_ptr<GgufFile>> open(const std::string& path);
    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::string& path() const { return m_path; }
    std::uint32_t version() const { return m_version; }
    std::uint64_t alignment() const { return m_alignment; }
    std::uint64_t dataOffset() const { return m_dataOffset; } // file offset of the data section
    const std::map<std::string, GgufValue>& metadata() const { return m_metadata; }
    const GgufValue* find(const std::string& key) const;

    // Typed getters: an error naming the file and key when the key is missing or of another type.
    Result<std::string> getString(const std::string& key) const;
    Result<std::int64_t> getInt(const std::string& key) const; // any integer type; u64 > INT64_MAX fails
    Result<double> getFloat(const std::string& key) const;     // F32/F64 and integers
    Result<bool> getBool(const std::string& key) const;
    Result<std::vector<std::string>> getStrings(const std::string& key) const; // array of string
    Result<std::vector<std::int64_t>> getInts(const std::string& key) const;   // array of any integer
    Result<std::vector<double>> getFloats(const std::string& key) const;       // array of f32/f64 (or integers)

    const std::vector<GgufTensor>& tensors() const { return m_tensors; } // in file order
    const GgufTensor* findTensor(const std::string& name) const;
    // Into the mapping (t.bytes bytes, aligned to alignment() relative to the file start); valid
    // while this GgufFile lives.
    const std::uint8_t* data(const GgufTensor& t) const;
    // Dequantised, row-major in the PyTorch shape (t.shape()).
    Result<std::vector<float>> readFloat32(const std::string& name) const;
    // The value for humans: scalars as text, strings quoted, arrays as type, count, first items;
    // "(missing)" if the key is absent.
    std::string describe(const std::string& key) const;

private:
    GgufFile() = default;
    friend class GgufParser;
    std::string m_path;
    void* m_map = nullptr;
    std::size_t m_mapSize = 0;
    std::uint32_t m_version = 0;
    std::uint64_t m_alignment = 32;
    std::uint64_t m_dataOffset = 0;
    std::map<std::string, GgufValue> m_metadata;
    std::vector<GgufTensor> m_tensors;
    std::map<std::string, std::size_t> m_tensorIndex;
};

} // namespace uae

#include "uae/safetensors.h"

#include "atomic_file.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uae {

const char* dtypeName(DType t) {
    switch (t) {
    case DType::F32:
        return "F32";
    case DType::F16:
        return "F16";
    case DType::BF16:
        return "BF16";
    case DType::F64:
        return "F64";
    case DType::I64:
        return "I64";
    case DType::I32:
        return "I32";
    case DType::U8:
        return "U8";
    }
    return "?";
}

int dtypeSize(DType t) {
    switch (t) {
    case DType::F64:
    case DType::I64:
        return 8;
    case DType::F32:
    case DType::I32:
        return 4;
    case DType::F16:
    case DType::BF16:
        return 2;
    case DType::U8:
        return 1;
    }
    return 0;
}

std::int64_t TensorInfo::numel() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

namespace {

bool parseDType(const std::string& s, DType& out) {
    static const std::pair<const char*, DType> table[] = {
        {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16}, {"F64", DType::F64},
        {"I64", DType::I64}, {"I32", DType::I32}, {"U8", DType::U8}};
    for (const auto& [name, t] : table)
        if (s == name) {
            out = t;
            return true;
        }
    return false;
}

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: renormalise
            int e = -1;
            std::uint32_t m = mant;
            do {
                ++e;
                m <<= 1;
            } while ((m & 0x400u) == 0);
            bits = sign | ((127 - 15 - e) << 23) | ((m & 0x3ffu) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

Result<TensorInfo> parseTensor(const std::string& name, const nlohmann::json& v, std::uint64_t dataSize) {
    TensorInfo t;
    t.name = name;
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
        return fail("tensor '" + name + "' lacks dtype, shape or data_offsets");
    if (!v["dtype"].is_string() || !parseDType(v["dtype"].get<std::string>(), t.dtype))
        return fail("tensor '" + name + "' has unsupported dtype " + v["dtype"].dump());
    for (const auto& d : v["shape"]) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
            return fail("tensor '" + name + "' has a bad shape " + v["shape"].dump());
        t.shape.push_back(d.get<std::int64_t>());
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
        return fail("tensor '" + name + "' has bad data_offsets " + off.dump());
    t.begin = off[0].get<std::uint64_t>();
    t.end = off[1].get<std::uint64_t>();
    if (t.begin > t.end || t.end > dataSize)
        return fail("tensor '" + name + "' data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                    "] lie outside the " + std::to_string(dataSize) + "-byte data section (truncated file?)");
    const auto expected = static_cast<std::uint64_t>(t.numel()) * static_cast<std::uint64_t>(dtypeSize(t.dtype));
    if (t.end - t.begin != expected)
        return fail("tensor '" + name + "' holds " + std::to_string(t.end - t.begin) +
                    " bytes but its shape and dtype need " + std::to_string(expected));
    return t;
}

// Two tensors sharing bytes are a damaged or forged file: writing one would change the other, and
// the format (one byte range per tensor) never produces it.
template <class Map> Status checkNoOverlap(const Map& tensors) {
    std::vector<std::pair<std::uint64_t, const std::string*>> starts;
    for (const auto& [name, t] : tensors)
        if (t.end > t.begin)
            starts.emplace_back(t.begin, &name);
    std::sort(starts.begin(), starts.end());
    for (size_t i = 1; i < starts.size(); ++i) {
        const auto& prev = tensors.at(*starts[i - 1].second);
        if (starts[i].first < prev.end)
            return fail("tensors '" + *starts[i - 1].second + "' and '" + *starts[i].second +
                        "' overlap in the data section");
    }
    return Ok{};
}

} // namespace

SafetensorsFile::~SafetensorsFile() {
    if (m_map)
        munmap(m_map, m_mapSize);
}

Result<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
        return fail(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    fstat(fd, &st);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size < 8) {
        ::close(fd);
        return fail(path + ": too small to be a safetensors file (" + std::to_string(size) + " bytes)");
    }
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED)
        return fail(path + ": cannot map: " + std::strerror(errno));
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_path = path;
    file->m_map = map;
    file->m_mapSize = size;
    const auto* bytes = static_cast<const std::uint8_t*>(map);
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | bytes[i];
    if (headerSize > size - 8)
        return fail(path + ": header size " + std::to_string(headerSize) + " exceeds the file (" +
                    std::to_string(size) + " bytes): truncated or not safetensors");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes + 8, bytes + 8 + headerSize);
    } catch (const nlohmann::json::exception& e) {
        return fail(path + ": malformed header JSON: " + e.what());
    }
    if (!header.is_object())
        return fail(path + ": header is not a JSON object");
    file->m_data = bytes + 8 + headerSize;
    const std::uint64_t dataSize = size - 8 - headerSize;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            for (auto m = it->begin(); it->is_object() && m != it->end(); ++m)
                file->m_metadata[m.key()] = m->is_string() ? m->get<std::string>() : m->dump();
            continue;
        }
        auto t = parseTensor(it.key(), it.value(), dataSize);
        if (!t)
            return fail(path + ": " + t.error());
        file->m_tensors[it.key()] = std::move(t.value());
    }
    if (auto s = checkNoOverlap(file->m_tensors); !s)
        return fail(path + ": " + s.error());
    return file;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = m_tensors.find(name);
    return it == m_tensors.end() ? nullptr : &it->second;
}

Result<std::vector<float>> SafetensorsFile::readFloat32(const std::string& name) const {
    const TensorInfo* t = find(name);
    if (!t)
        return fail(m_path + ": no tensor named '" + name + "'");
    std::vector<float> out(static_cast<size_t>(t->numel()));
    const std::uint8_t* p = data(*t);
    switch (t->dtype) {
    case DType::F32:
        if (!out.empty()) // an empty vector's data() may be null: memcpy(nullptr, ...) is UB
            std::memcpy(out.data(), p, out.size() * 4);
        break;
    case DType::F16:
    case DType::BF16:
        for (size_t i = 0; i < out.size(); ++i) {
            std::uint16_t h;
            std::memcpy(&h, p + 2 * i, 2);
            if (t->dtype == DType::F16) {
                out[i] = halfToFloat(h);
            } else {
                const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
                std::memcpy(&out[i], &bits, 4);
            }
        }
        break;
    default:
        return fail(m_path + ": tensor '" + name + "' is " + dtypeName(t->dtype) + ", not a float type");
    }
    return out;
}

Status writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata) {
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        std::int64_t n = 1;
        for (auto d : t.shape)
            n *= d;
        const std::uint64_t bytes = static_cast<std::uint64_t>(n) * 4;
        header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string h = header.dump();
    while ((h.size() + 8) % 8)
        h.push_back(' '); // align the data section, as the reference writer does
    return detail::writeFileAtomically(path, [&](std::ostream& out) {
        std::uint64_t size = h.size();
        unsigned char le[8];
        for (int i = 0; i < 8; ++i)
            le[i] = static_cast<unsigned char>(size >> (8 * i));
        out.write(reinterpret_cast<const char*>(le), 8);
        out.write(h.data(), static_cast<std::streamsize>(h.size()));
        for (const auto& t : tensors) {
            std::int64_t n = 1;
            for (auto d : t.shape)
                n *= d;
            out.write(reinterpret_cast<const char*>(t.values), n * 4);
        }
    });
}

} // namespace uae

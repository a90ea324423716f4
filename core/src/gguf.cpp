// GGUF parsing. The file is hostile until proven otherwise: every count and length is checked
// against the bytes that remain before anything is reserved, all offset arithmetic is
// overflow-checked, and every failure names the file and the field it stopped in.
#include "uae/gguf.h"

#include "gguf_detail.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uae {

static_assert(std::endian::native == std::endian::little, "GGUF values are read in host order");

namespace gguf_detail {

bool isInteger(GgufValueType t) {
    switch (t) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::U16:
    case GgufValueType::I16:
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::U64:
    case GgufValueType::I64:
        return true;
    default:
        return false;
    }
}
bool isFloat(GgufValueType t) {
    return t == GgufValueType::F32 || t == GgufValueType::F64;
}
bool isUnsigned(GgufValueType t) {
    return t == GgufValueType::U8 || t == GgufValueType::U16 || t == GgufValueType::U32 || t == GgufValueType::U64;
}

std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
        char buf[8];
        if (ch >= 0x20 && ch != 0x7f)
            out += static_cast<char>(ch);
        else if (ch == '\n' || ch == '\t')
            out += ch == '\n' ? "\\n" : "\\t";
        else if (std::snprintf(buf, sizeof buf, "\\x%02x", ch) > 0)
            out += buf;
    }
    return out;
}

// Hostile names can be long: messages quote at most 80 characters.
std::string shortened(const std::string& s) {
    return printable(s.size() <= 80 ? s : s.substr(0, 77) + "...");
}
std::string quoted(const std::string& s) {
    return "'" + shortened(s) + "'";
}

} // namespace gguf_detail

using namespace gguf_detail;

namespace {

constexpr int kMaxDims = 4;                              // GGML_MAX_DIMS
constexpr int kMaxArrayDepth = 8;                        // nested arrays: deeper is refused, not recursed into
constexpr std::uint64_t kMinKvBytes = 8 + 4 + 1;         // key length, type, smallest value
constexpr std::uint64_t kMinTensorBytes = 8 + 4 + 4 + 8; // name length, n_dims, type, offset
const std::string kTruncated = "truncated";

// Bounds-checked little-endian reads from the mapping.
class Cursor {
public:
    Cursor(const std::uint8_t* p, std::uint64_t size) : m_p(p), m_size(size) {}
    std::uint64_t pos() const { return m_pos; }
    std::uint64_t left() const { return m_size - m_pos; }
    template <class T> bool read(T& v) {
        if (left() < sizeof(T))
            return false;
        std::memcpy(&v, m_p + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return true;
    }
    bool skip(std::uint64_t n) {
        if (left() < n)
            return false;
        m_pos += n;
        return true;
    }
    const std::uint8_t* here() const { return m_p + m_pos; }

private:
    const std::uint8_t* m_p;
    std::uint64_t m_size;
    std::uint64_t m_pos = 0;
};

// Smallest encoding of one value of type t (0: not a value type).
std::uint64_t minValueBytes(GgufValueType t) {
    switch (t) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::Bool:
        return 1;
    case GgufValueType::U16:
    case GgufValueType::I16:
        return 2;
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::F32:
        return 4;
    case GgufValueType::U64:
    case GgufValueType::I64:
    case GgufValueType::F64:
        return 8;
    case GgufValueType::String:
        return 8;
    case GgufValueType::Array:
        return 4 + 8;
    }
    return 0;
}

// Integers and bools as (signed, unsigned) views of one value.
bool readInteger(Cursor& c, GgufValueType t, std::int64_t& i, std::uint64_t& u) {
    auto get = [&](auto v) {
        if (!c.read(v))
            return false;
        i = static_cast<std::int64_t>(v);
        u = static_cast<std::uint64_t>(v);
        return true;
    };
    switch (t) {
    case GgufValueType::U8:
        return get(std::uint8_t{});
    case GgufValueType::I8:
        return get(std::int8_t{});
    case GgufValueType::U16:
        return get(std::uint16_t{});
    case GgufValueType::I16:
        return get(std::int16_t{});
    case GgufValueType::U32:
        return get(std::uint32_t{});
    case GgufValueType::I32:
        return get(std::int32_t{});
    case GgufValueType::U64:
        return get(std::uint64_t{});
    case GgufValueType::I64:
        return get(std::int64_t{});
    case GgufValueType::Bool: { // ggml reads a byte and takes any non-zero as true
        std::uint8_t b = 0;
        if (!c.read(b))
            return false;
        i = u = b != 0;
        return true;
    }
    default:
        return false;
    }
}

bool readFloating(Cursor& c, GgufValueType t, double& f) {
    if (t == GgufValueType::F32) {
        float v;
        if (!c.read(v))
            return false;
        f = v;
        return true;
    }
    return c.read(f);
}

std::string readString(Cursor& c, std::string& s) {
    std::uint64_t n = 0;
    if (!c.read(n))
        return kTruncated;
    if (n > c.left())
        return "string length " + std::to_string(n) + " exceeds the " + std::to_string(c.left()) +
               " bytes left in the file";
    s.assign(reinterpret_cast<const char*>(c.here()), static_cast<std::size_t>(n));
    c.skip(n);
    return {};
}

// Reads an array header and checks its count against the bytes left, before anything is reserved.
std::string readArrayHeader(Cursor& c, GgufValueType& elem, std::uint64_t& count) {
    if (!c.read(elem) || !c.read(count))
        return kTruncated;
    const std::uint64_t min = minValueBytes(elem);
    if (min == 0)
        return "array of invalid value type " + std::to_string(static_cast<std::uint32_t>(elem));
    if (count > c.left() / min)
        return "array of " + std::to_string(count) + " " + ggufValueTypeName(elem) + " values exceeds the " +
               std::to_string(c.left()) + " bytes left in the file";
    return {};
}

// Checks and skips an inner array (nested arrays are kept as a count only).
std::string skipArray(Cursor& c, int depth) {
    if (depth > kMaxArrayDepth)
        return "arrays nested deeper than " + std::to_string(kMaxArrayDepth) + " levels";
    GgufValueType elem{};
    std::uint64_t count = 0;
    if (auto err = readArrayHeader(c, elem, count); !err.empty())
        return err;
    if (elem == GgufValueType::Array || elem == GgufValueType::String) {
        std::string ignored;
        for (std::uint64_t k = 0; k < count; ++k) {
            auto err = elem == GgufValueType::Array ? skipArray(c, depth + 1) : readString(c, ignored);
            if (!err.empty())
                return err;
        }
        return {};
    }
    return c.skip(count * minValueBytes(elem)) ? std::string() : kTruncated;
}

std::string readArray(Cursor& c, GgufValue& v) {
    if (auto err = readArrayHeader(c, v.elemType, v.count); !err.empty())
        return err;
    const GgufValueType e = v.elemType;
    for (std::uint64_t k = 0; k < v.count; ++k) {
        std::string err;
        if (e == GgufValueType::Array) {
            err = skipArray(c, 2);
        } else if (e == GgufValueType::String) {
            if (k == 0)
                v.strings.reserve(static_cast<std::size_t>(v.count));
            err = readString(c, v.strings.emplace_back());
        } else if (isFloat(e)) {
            if (k == 0)
                v.floats.reserve(static_cast<std::size_t>(v.count));
            err = readFloating(c, e, v.floats.emplace_back()) ? "" : kTruncated;
        } else {
            if (k == 0)
                v.ints.reserve(static_cast<std::size_t>(v.count));
            std::uint64_t ignored = 0;
            err = readInteger(c, e, v.ints.emplace_back(), ignored) ? "" : kTruncated;
        }
        if (!err.empty())
            return err;
    }
    return {};
}

std::string readValue(Cursor& c, GgufValue& v) {
    if (!c.read(v.type))
        return kTruncated;
    if (v.type == GgufValueType::Array)
        return readArray(c, v);
    if (v.type == GgufValueType::String)
        return readString(c, v.s);
    if (isFloat(v.type))
        return readFloating(c, v.type, v.f) ? "" : kTruncated;
    if (minValueBytes(v.type) == 0)
        return "invalid value type " + std::to_string(static_cast<std::uint32_t>(v.type));
    if (!readInteger(c, v.type, v.i, v.u))
        return kTruncated;
    v.b = v.u != 0;
    return {};
}

// Control bytes as \n, \t or \xNN, so that hostile or multi-line text stays on one line.

std::string located(const std::string& where, const std::string& err) {
    return err == kTruncated ? "truncated in " + where : where + ": " + err;
}

std::uint64_t padTo(std::uint64_t x, std::uint64_t align) {
    return (x + align - 1) / align * align;
}

} // namespace

// Fills a GgufFile from its mapping; each step returns the first problem (without the path).
class GgufParser {
public:
    GgufParser(GgufFile& f, const std::uint8_t* p, std::uint64_t size) : m_f(f), m_c(p, size), m_size(size) {}

    std::string run() {
        std::string err = header();
        if (err.empty())
            err = metadata();
        if (err.empty())
            err = alignment();
        if (err.empty())
            err = tensorInfos();
        if (err.empty())
            err = dataRanges();
        return err;
    }

private:
    std::string header() {
        char magic[4];
        if (!m_c.read(magic))
            return located("header (magic)", kTruncated);
        if (std::memcmp(magic, "GGUF", 4) != 0)
            return "not a GGUF file (magic bytes '" + printable(std::string(magic, 4)) + "', expected 'GGUF')";
        std::uint32_t& v = m_f.m_version;
        if (!m_c.read(v))
            return located("header (version)", kTruncated);
        if (v != 0 && (v & 0xffffu) == 0)
            return "version reads as " + std::to_string(v) +
                   ": a big-endian GGUF file, only little-endian files are supported";
        if (v == 1)
            return "GGUF v1 is not supported (only v2 and v3): re-convert the model";
        if (v < 2 || v > 3)
            return "unsupported GGUF version " + std::to_string(v) + " (this reader handles v2 and v3)";
        if (!m_c.read(m_tensorCount))
            return located("header (tensor count)", kTruncated);
        if (!m_c.read(m_kvCount))
            return located("header (metadata count)", kTruncated);
        if (m_kvCount > m_c.left() / kMinKvBytes)
            return "metadata count " + std::to_string(m_kvCount) + " exceeds what the " + std::to_string(m_c.left()) +
                   " bytes left in the file could hold (truncated or corrupt)";
        return {};
    }

    std::string metadata() {
        for (std::uint64_t k = 0; k < m_kvCount; ++k) {
            const std::string where = "metadata key " + std::to_string(k);
            std::string key;
            if (auto err = readString(m_c, key); !err.empty())
                return located(where, err);
            if (key.empty())
                return where + ": empty key";
            GgufValue value;
            if (auto err = readValue(m_c, value); !err.empty())
                return located(where + " (" + shortened(key) + ")", err);
            // try_emplace leaves key alone when it is a duplicate, so the message can still use it
            if (!m_f.m_metadata.try_emplace(std::move(key), std::move(value)).second)
                return where + ": duplicate key " + quoted(key);
        }
        return {};
    }

    std::string alignment() {
        const GgufValue* a = m_f.find("general.alignment");
        if (!a)
            return {};
        if (a->type != GgufValueType::U32)
            return std::string("general.alignment must be u32, not ") + ggufValueTypeName(a->type);
        if (a->u == 0 || (a->u & (a->u - 1)) != 0)
            return "general.alignment " + std::to_string(a->u) + " is not a power of two";
        m_f.m_alignment = a->u;
        return {};
    }

    std::string tensorInfos() {
        if (m_tensorCount > m_c.left() / kMinTensorBytes)
            return "tensor count " + std::to_string(m_tensorCount) + " exceeds what the " + std::to_string(m_c.left()) +
                   " bytes left in the file could hold (truncated or corrupt)";
        m_f.m_tensors.reserve(static_cast<std::size_t>(m_tensorCount));
        for (std::uint64_t k = 0; k < m_tensorCount; ++k) {
            GgufTensor t;
            if (auto err = readString(m_c, t.name); !err.empty())
                return located("tensor info " + std::to_string(k), err);
            if (auto err = tensorInfo(t); !err.empty())
                return located("tensor info " + std::to_string(k) + " (" + shortened(t.name) + ")", err);
            if (!m_f.m_tensorIndex.emplace(t.name, m_f.m_tensors.size()).second)
                return "duplicate tensor name " + quoted(t.name);
            m_f.m_tensors.push_back(std::move(t));
        }
        return {};
    }

    std::string tensorInfo(GgufTensor& t) {
        std::uint32_t nDims = 0;
        if (!m_c.read(nDims))
            return kTruncated;
        if (nDims > kMaxDims)
            return std::to_string(nDims) + " dimensions, at most " + std::to_string(kMaxDims) + " allowed";
        std::int64_t numel = 1;
        bool overflow = false;
        for (std::uint32_t d = 0; d < nDims; ++d) {
            std::int64_t n = 0;
            if (!m_c.read(n))
                return kTruncated;
            if (n < 0)
                return "dimension " + std::to_string(d) + " is negative (" + std::to_string(n) + ")";
            t.dims.push_back(n);
            overflow = overflow || __builtin_mul_overflow(numel, n, &numel);
        }
        if (overflow)
            return "element count overflows int64";
        if (!m_c.read(t.type))
            return kTruncated;
        if (!ggmlTypeKnown(t.type))
            return std::string("tensor type ") + std::to_string(static_cast<std::uint32_t>(t.type)) + " is unknown";
        const std::int64_t row = t.dims.empty() ? 1 : t.dims[0];
        if (row % ggmlBlockSize(t.type) != 0)
            return "row length " + std::to_string(row) + " is not a multiple of the " + ggmlTypeName(t.type) +
                   " block size " + std::to_string(ggmlBlockSize(t.type));
        auto bytes = ggmlRowBytes(t.type, numel);
        if (!bytes)
            return bytes.error();
        t.bytes = bytes.value();
        if (!m_c.read(t.offset))
            return kTruncated;
        if (t.offset % m_f.m_alignment != 0)
            return "data offset " + std::to_string(t.offset) + " is not a multiple of the alignment " +
                   std::to_string(m_f.m_alignment);
        return {};
    }

    // Every tensor's data, padded to the alignment as writers (and ggml's reader) lay it out, must
    // lie inside the file.
    std::string dataRanges() {
        const std::uint64_t start = padTo(m_c.pos(), m_f.m_alignment); // pos <= size: no overflow
        m_f.m_dataOffset = start;
        if (m_f.m_tensors.empty())
            return {};
        if (start > m_size)
            return "data section starts at " + std::to_string(start) + ", beyond the end of the file (" +
                   std::to_string(m_size) + " bytes)";
        const std::uint64_t room = m_size - start;
        for (const GgufTensor& t : m_f.m_tensors) {
            // padTo only runs once bytes <= room (< 2^63), so it cannot overflow
            if (t.offset <= room && t.bytes <= room - t.offset && padTo(t.bytes, m_f.m_alignment) <= room - t.offset)
                continue;
            std::uint64_t end = 0;
            const bool wraps = __builtin_add_overflow(t.offset, t.bytes, &end);
            return "tensor " + quoted(t.name) + ": data [" + std::to_string(t.offset) + ", " +
                   (wraps ? std::string("2^64+") : std::string()) + std::to_string(end) + ") of the data section at " +
                   std::to_string(start) + " (padded to the alignment " + std::to_string(m_f.m_alignment) +
                   ") lies beyond the end of the file (" + std::to_string(m_size) + " bytes)";
        }
        return {};
    }

    GgufFile& m_f;
    Cursor m_c;
    std::uint64_t m_size;
    std::uint64_t m_tensorCount = 0;
    std::uint64_t m_kvCount = 0;
};

const char* ggufValueTypeName(GgufValueType t) {
    static const char* const names[] = {"u8",   "i8",     "u16",   "i16", "u32", "i32", "f32",
                                        "bool", "string", "array", "u64", "i64", "f64"};
    const auto i = static_cast<std::uint32_t>(t);
    if (i < std::size(names))
        return names[i];
    thread_local char unknown[24];
    std::snprintf(unknown, sizeof unknown, "type %u", static_cast<unsigned>(i));
    return unknown;
}

std::int64_t GgufTensor::numel() const {
    std::int64_t n = 1;
    for (auto d : dims)
        n *= d; // open() checked that the product fits
    return n;
}

GgufFile::~GgufFile() {
    if (m_map)
        munmap(m_map, m_mapSize);
}

Result<std::shared_ptr<GgufFile>> GgufFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
        return fail(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(path + ": not a regular file");
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size == 0) {
        ::close(fd);
        return fail(path + ": empty file, not GGUF");
    }
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED)
        return fail(path + ": cannot map: " + std::strerror(errno));
    std::shared_ptr<GgufFile> file(new GgufFile());
    file->m_path = path;
    file->m_map = map;
    file->m_mapSize = size;
    GgufParser parser(*file, static_cast<const std::uint8_t*>(map), size);
    if (auto err = parser.run(); !err.empty())
        return fail(path + ": " + err);
    return file;
}

const GgufValue* GgufFile::find(const std::string& key) const {
    auto it = m_metadata.find(key);
    return it == m_metadata.end() ? nullptr : &it->second;
}

const GgufTensor* GgufFile::findTensor(const std::string& name) const {
    auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

const std::uint8_t* GgufFile::data(const GgufTensor& t) const {
    return static_cast<const std::uint8_t*>(m_map) + m_dataOffset + t.offset;
}

Result<std::vector<float>> GgufFile::readFloat32(const std::string& name) const {
    const GgufTensor* t = findTensor(name);
    if (!t)
        return fail(m_path + ": no tensor named " + quoted(name));
    if (!ggmlCanDequantize(t->type))
        return fail(m_path + ": tensor " + quoted(name) + " is " + ggmlTypeName(t->type) +
                    ", which this reader cannot dequantise");
    std::vector<float> out(static_cast<std::size_t>(t->numel()));
    if (auto st = dequantize(t->type, data(*t), t->numel(), out.data()); !st)
        return fail(m_path + ": tensor " + quoted(name) + ": " + st.error());
    return out;
}
} // namespace uae

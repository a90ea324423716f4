// ggml type table and block dequantisation. The block layouts and the order of float operations
// follow ggml-quants.c (dequantize_row_*) so that results match it and gguf-py's quants.py bit for
// bit: every product is rounded to float32 before the add/subtract, as ggml does on a build without
// FMA contraction (this project compiles without -march flags, so x86-64 has no FMA to fuse into).
#include "uae/gguf.h"

#include <cstdio>
#include <cstring>
#include <limits>

namespace uae {

namespace {

constexpr int kQK = 32;   // elements per block of the 32-element formats (QK4_0 = QK8_0 = ...)
constexpr int kQKK = 256; // elements per K-quant super-block (QK_K)

struct TypeTraits {
    const char* name;
    int blockSize; // 0: no such type
    int typeSize;  // bytes per block
};

// Indexed by the type number; sizes as ggml's type_traits (and gguf-py's GGML_QUANT_SIZES).
// clang-format off
constexpr TypeTraits kTraits[] = {
    {"F32", 1, 4},         {"F16", 1, 2},         {"Q4_0", 32, 18},      {"Q4_1", 32, 20},
    {nullptr, 0, 0},       {nullptr, 0, 0},       {"Q5_0", 32, 22},      {"Q5_1", 32, 24},
    {"Q8_0", 32, 34},      {"Q8_1", 32, 36},      {"Q2_K", 256, 84},     {"Q3_K", 256, 110},
    {"Q4_K", 256, 144},    {"Q5_K", 256, 176},    {"Q6_K", 256, 210},    {"Q8_K", 256, 292},
    {"IQ2_XXS", 256, 66},  {"IQ2_XS", 256, 74},   {"IQ3_XXS", 256, 98},  {"IQ1_S", 256, 50},
    {"IQ4_NL", 32, 18},    {"IQ3_S", 256, 110},   {"IQ2_S", 256, 82},    {"IQ4_XS", 256, 136},
    {"I8", 1, 1},          {"I16", 1, 2},         {"I32", 1, 4},         {"I64", 1, 8},
    {"F64", 1, 8},         {"IQ1_M", 256, 56},    {"BF16", 1, 2},        {nullptr, 0, 0},
    {nullptr, 0, 0},       {nullptr, 0, 0},       {"TQ1_0", 256, 54},    {"TQ2_0", 256, 66},
    {nullptr, 0, 0},       {nullptr, 0, 0},       {nullptr, 0, 0},       {"MXFP4", 32, 17},
    {"NVFP4", 64, 36},     {"Q1_0", 128, 18},
};
// clang-format on
constexpr std::uint32_t kTraitCount = sizeof(kTraits) / sizeof(kTraits[0]);

const TypeTraits* traits(GgmlType t) {
    const auto i = static_cast<std::uint32_t>(t);
    return i < kTraitCount && kTraits[i].blockSize > 0 ? &kTraits[i] : nullptr;
}

// Exact IEEE half -> single: every half (subnormals, infinities, NaN payloads) is representable.
float fp16ToFp32(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    } else { // zero or subnormal: mant * 2^-24 is exact in float
        const float v = static_cast<float>(mant) * 0x1p-24f;
        std::memcpy(&bits, &v, 4);
        bits |= sign;
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float halfAt(const std::uint8_t* p) {
    return fp16ToFp32(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
}

// Q4_0 block: fp16 d, 16 bytes of nibbles; element j is the low nibble of byte j, element j+16
// the high nibble; value (q - 8) * d.
void dequantQ4_0(const std::uint8_t* b, float* y) {
    const float d = halfAt(b);
    const std::uint8_t* qs = b + 2;
    for (int j = 0; j < kQK / 2; ++j) {
        const int x0 = (qs[j] & 0x0f) - 8, x1 = (qs[j] >> 4) - 8;
        y[j] = x0 * d;
        y[j + kQK / 2] = x1 * d;
    }
}

// Q4_1 block: fp16 d, fp16 m, 16 bytes of nibbles; value q * d + m.
void dequantQ4_1(const std::uint8_t* b, float* y) {
    const float d = halfAt(b), m = halfAt(b + 2);
    const std::uint8_t* qs = b + 4;
    for (int j = 0; j < kQK / 2; ++j) {
        const int x0 = qs[j] & 0x0f, x1 = qs[j] >> 4;
        y[j] = x0 * d + m;
        y[j + kQK / 2] = x1 * d + m;
    }
}

// The fifth bits of a Q5 block: bit j of the little-endian u32 belongs to element j.
std::uint32_t highBits(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// Q5_0 block: fp16 d, u32 high bits, 16 bytes of low nibbles; value (q - 16) * d.
void dequantQ5_0(const std::uint8_t* b, float* y) {
    const float d = halfAt(b);
    const std::uint32_t qh = highBits(b + 2);
    const std::uint8_t* qs = b + 6;
    for (int j = 0; j < kQK / 2; ++j) {
        const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
        const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
        const int x0 = ((qs[j] & 0x0f) | h0) - 16, x1 = ((qs[j] >> 4) | h1) - 16;
        y[j] = x0 * d;
        y[j + kQK / 2] = x1 * d;
    }
}

// Q5_1 block: fp16 d, fp16 m, u32 high bits, 16 bytes of low nibbles; value q * d + m.
void dequantQ5_1(const std::uint8_t* b, float* y) {
    const float d = halfAt(b), m = halfAt(b + 2);
    const std::uint32_t qh = highBits(b + 4);
    const std::uint8_t* qs = b + 8;
    for (int j = 0; j < kQK / 2; ++j) {
        const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
        const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
        const int x0 = (qs[j] & 0x0f) | h0, x1 = (qs[j] >> 4) | h1;
        y[j] = x0 * d + m;
        y[j + kQK / 2] = x1 * d + m;
    }
}

// Q8_0 block: fp16 d, 32 signed bytes; value q * d.
void dequantQ8_0(const std::uint8_t* b, float* y) {
    const float d = halfAt(b);
    for (int j = 0; j < kQK; ++j)
        y[j] = static_cast<std::int8_t>(b[2 + j]) * d;
}

// The 8 six-bit (scale, min) pairs packed into 12 bytes (ggml's get_scale_min_k4): pairs 0-3 sit
// in the low six bits of bytes 0-3 / 4-7; pairs 4-7 take four bits from bytes 8-11 and their top
// two bits from the spare high bits of bytes 0-3 / 4-7.
void scaleMinK4(int j, const std::uint8_t* q, int& scale, int& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// Q4_K super-block: fp16 d, fp16 dmin, 12 scale bytes, 128 bytes of nibbles. Each 64 elements
// use two sub-blocks: low nibbles of 32 bytes, then their high nibbles.
void dequantQ4_K(const std::uint8_t* b, float* y) {
    const float d = halfAt(b), dmin = halfAt(b + 2);
    const std::uint8_t* scales = b + 4;
    const std::uint8_t* q = b + 16;
    for (int j = 0, is = 0; j < kQKK; j += 64, is += 2, q += 32) {
        int sc, m;
        scaleMinK4(is, scales, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        scaleMinK4(is + 1, scales, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * (q[l] & 0x0f) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * (q[l] >> 4) - m2;
    }
}

// Q5_K super-block: as Q4_K plus 32 bytes of fifth bits (bit 2k / 2k+1 of byte l for the k-th
// 64-element chunk) between the scales and the nibbles.
void dequantQ5_K(const std::uint8_t* b, float* y) {
    const float d = halfAt(b), dmin = halfAt(b + 2);
    const std::uint8_t* scales = b + 4;
    const std::uint8_t* qh = b + 16;
    const std::uint8_t* ql = b + 48;
    unsigned u1 = 1, u2 = 2;
    for (int j = 0, is = 0; j < kQKK; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
        int sc, m;
        scaleMinK4(is, scales, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        scaleMinK4(is + 1, scales, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * ((ql[l] & 0x0f) + ((qh[l] & u1) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * ((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
    }
}

// Q6_K super-block: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 signed scales, fp16 d.
// Each 128-element half uses 64 low bytes and 32 high bytes; value d * scale * (q - 32).
void dequantQ6_K(const std::uint8_t* b, float* y) {
    const std::uint8_t* ql = b;
    const std::uint8_t* qh = b + 128;
    const std::uint8_t* sc = b + 192;
    const float d = halfAt(b + 208);
    for (int n = 0; n < kQKK; n += 128, y += 128, ql += 64, qh += 32, sc += 8) {
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int q1 = ((ql[l] & 0x0f) | ((qh[l] & 3) << 4)) - 32;
            const int q2 = ((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * static_cast<std::int8_t>(sc[is]) * q1;
            y[l + 32] = d * static_cast<std::int8_t>(sc[is + 2]) * q2;
            y[l + 64] = d * static_cast<std::int8_t>(sc[is + 4]) * q3;
            y[l + 96] = d * static_cast<std::int8_t>(sc[is + 6]) * q4;
        }
    }
}

using BlockFn = void (*)(const std::uint8_t*, float*);

BlockFn blockFunction(GgmlType t) {
    switch (t) {
    case GgmlType::Q4_0:
        return dequantQ4_0;
    case GgmlType::Q4_1:
        return dequantQ4_1;
    case GgmlType::Q5_0:
        return dequantQ5_0;
    case GgmlType::Q5_1:
        return dequantQ5_1;
    case GgmlType::Q8_0:
        return dequantQ8_0;
    case GgmlType::Q4_K:
        return dequantQ4_K;
    case GgmlType::Q5_K:
        return dequantQ5_K;
    case GgmlType::Q6_K:
        return dequantQ6_K;
    default:
        return nullptr;
    }
}

} // namespace

const char* ggmlTypeName(GgmlType t) {
    if (const TypeTraits* tr = traits(t))
        return tr->name;
    thread_local char unknown[24];
    std::snprintf(unknown, sizeof unknown, "type %u", static_cast<unsigned>(t));
    return unknown;
}

bool ggmlTypeKnown(GgmlType t) {
    return traits(t) != nullptr;
}

int ggmlBlockSize(GgmlType t) {
    const TypeTraits* tr = traits(t);
    return tr ? tr->blockSize : 0;
}

bool ggmlCanDequantize(GgmlType t) {
    return t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16 || blockFunction(t);
}

Result<std::uint64_t> ggmlRowBytes(GgmlType t, std::int64_t n) {
    const TypeTraits* tr = traits(t);
    if (!tr)
        return fail(std::string("unknown ggml type ") + ggmlTypeName(t));
    if (n < 0 || n % tr->blockSize != 0)
        return fail(std::to_string(n) + " elements of " + tr->name + " are not a whole number of blocks of " +
                    std::to_string(tr->blockSize));
    const auto blocks = static_cast<std::uint64_t>(n / tr->blockSize);
    if (blocks > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(tr->typeSize))
        return fail(std::to_string(n) + " elements of " + tr->name + " overflow a 64-bit byte count");
    return blocks * static_cast<std::uint64_t>(tr->typeSize);
}

Status dequantize(GgmlType t, const std::uint8_t* src, std::int64_t n, float* dst) {
    if (!ggmlCanDequantize(t))
        return fail(std::string("cannot dequantise ggml type ") + ggmlTypeName(t));
    auto bytes = ggmlRowBytes(t, n);
    if (!bytes)
        return fail(bytes.error());
    const auto count = static_cast<std::size_t>(n);
    if (count == 0) // nothing to do; dst may be an empty vector's null data()
        return Ok{};
    switch (t) {
    case GgmlType::F32:
        std::memcpy(dst, src, count * 4);
        return Ok{};
    case GgmlType::F16:
        for (std::size_t i = 0; i < count; ++i)
            dst[i] = halfAt(src + 2 * i);
        return Ok{};
    case GgmlType::BF16: // the upper half of a float32
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint32_t bits = static_cast<std::uint32_t>(src[2 * i] | (src[2 * i + 1] << 8)) << 16;
            std::memcpy(dst + i, &bits, 4);
        }
        return Ok{};
    default:
        break;
    }
    const BlockFn fn = blockFunction(t);
    const TypeTraits* tr = traits(t);
    for (std::size_t b = 0; b < count / static_cast<std::size_t>(tr->blockSize); ++b)
        fn(src + b * static_cast<std::size_t>(tr->typeSize), dst + b * static_cast<std::size_t>(tr->blockSize));
    return Ok{};
}

} // namespace uae

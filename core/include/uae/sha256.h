#pragma once
// SHA-256 (FIPS 180-4), for verifying fetched model files and comparing large tensors with
// reference goldens by digest. Streaming: update() any number of times, then hex() once.
#include <array>
#include <cstdint>
#include <string>

namespace uae {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    std::string hex(); // finishes the digest; the object is spent afterwards

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> m_h;
    std::array<std::uint8_t, 64> m_buf{};
    std::size_t m_used = 0;
    std::uint64_t m_bytes = 0;
};

std::string sha256Hex(const void* data, std::size_t size);

} // namespace uae

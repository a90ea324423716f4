#pragma once
// Shared by the libFuzzer targets: the loaders under test read files, so each input is written to
// a scratch folder on tmpfs (/dev/shm when present) that belongs to this process.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace uae::fuzz {

// A folder for this process, created once, emptied at exit by nobody (tmpfs; names carry the pid).
inline const std::filesystem::path& scratchDir() {
    static const std::filesystem::path dir = [] {
        std::error_code ec;
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                               ? std::filesystem::path("/dev/shm")
                                               : std::filesystem::temp_directory_path();
        auto d = base / ("uae-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::string writeInput(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        std::abort(); // the harness itself is broken: never a finding in the code under test
    if (size && std::fwrite(data, 1, size, f) != size)
        std::abort();
    std::fclose(f);
    return path.string();
}

// The same, into the scratch folder under `name`.
inline std::string writeScratch(const char* name, const std::uint8_t* data, std::size_t size) {
    return writeInput(scratchDir() / name, data, size);
}

} // namespace uae::fuzz

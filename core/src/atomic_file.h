#pragma once
// Private: write a file through "<path>.tmp" and rename, so readers never see half a file and a
// crash leaves the previous version intact (exports, checkpoints).
#include "uae/result.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace uae::detail {

template <class Body> Status writeFileAtomically(const std::string& path, Body&& body) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return fail(path + ": cannot open for writing");
        body(out);
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            return fail(path + ": write failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return fail(path + ": cannot rename from " + tmp + ": " + ec.message());
    return Ok{};
}

} // namespace uae::detail

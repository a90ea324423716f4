#pragma once
// Private: the value-type predicates and text helpers that GGUF parsing (gguf.cpp) and the
// metadata getters (gguf_metadata.cpp) share.
#include "uae/gguf.h"

#include <string>

namespace uae::gguf_detail {

bool isInteger(GgufValueType t);
bool isFloat(GgufValueType t);
bool isUnsigned(GgufValueType t);
// Control bytes escaped, so hostile keys print safely.
std::string printable(const std::string& s);
// Hostile names can be long: messages quote at most 80 characters.
std::string shortened(const std::string& s);
std::string quoted(const std::string& s);

} // namespace uae::gguf_detail

#pragma once
// Private: short constructors for field specs, so each config's table reads as one line per setting.
#include "uae/config_fields.h"

#include <limits>

namespace uae::detail {

constexpr double kNoLimit = 1e9; // counts: "as many as you like", kept printable

inline FieldSpec integer(std::string key, std::string option, std::string help, double min, double max) {
    FieldSpec s;
    s.key = std::move(key), s.option = std::move(option), s.help = std::move(help), s.type = FieldType::Integer;
    s.min = min, s.max = max;
    return s;
}

// Reals: minExclusive for quantities that must be positive (temperatures, rates).
inline FieldSpec real(std::string key, std::string option, std::string help, double min, double max,
                      bool minExclusive) {
    FieldSpec s;
    s.key = std::move(key), s.option = std::move(option), s.help = std::move(help), s.type = FieldType::Real;
    s.min = min, s.max = max, s.minExclusive = minExclusive;
    return s;
}

inline FieldSpec text(std::string key, std::string option, std::string help, bool required = false) {
    FieldSpec s;
    s.key = std::move(key), s.option = std::move(option), s.help = std::move(help), s.type = FieldType::Text;
    s.required = required;
    return s;
}

inline FieldSpec choice(std::string key, std::string option, std::string help, std::vector<std::string> choices) {
    FieldSpec s;
    s.key = std::move(key), s.option = std::move(option), s.help = std::move(help), s.type = FieldType::Choice;
    s.choices = std::move(choices);
    return s;
}

inline FieldSpec flag(std::string key, std::string option, std::string help, bool negated = false) {
    FieldSpec s;
    s.key = std::move(key), s.option = std::move(option), s.help = std::move(help), s.type = FieldType::Flag;
    s.negated = negated;
    return s;
}

// "auto", "cpu", "cuda" or "cuda:N".
FieldSpec deviceSpec(std::string key = "device");
FieldSpec dtypeSpec();
// A method name parseMethod accepts.
FieldSpec methodSpec();
// "I/N" (shard.h), empty for all.
FieldSpec shardSpec();

} // namespace uae::detail

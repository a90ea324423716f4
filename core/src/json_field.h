#pragma once
// Private: fields of a model's config.json read with the field named when its type is wrong
// ("'hidden_size' must be a number, is string \"64\""), where nlohmann's own message names none.
// Callers catch std::exception at their boundary and prefix the file.
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace uae::detail {

struct JsonFieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class T> const char* jsonKindName() {
    if constexpr (std::is_same_v<T, bool>)
        return "true or false";
    else if constexpr (std::is_arithmetic_v<T>)
        return "a number";
    else
        return "a string";
}

template <class T> T jsonAs(const nlohmann::json& v, const std::string& key) {
    const bool fits = std::is_same_v<T, bool>   ? v.is_boolean()
                      : std::is_arithmetic_v<T> ? v.is_number()
                                                : v.is_string();
    if (!fits) {
        std::string shown = v.dump();
        if (shown.size() > 40)
            shown = shown.substr(0, 40) + "...";
        throw JsonFieldError("'" + key + "' must be " + jsonKindName<T>() + ", is " + v.type_name() + " " + shown);
    }
    return v.get<T>();
}

// The field's value, or fallback when it is absent or null.
template <class T> T jsonField(const nlohmann::json& j, const std::string& key, const T& fallback) {
    const auto it = j.is_object() ? j.find(key) : j.end();
    return it == j.end() || it->is_null() ? fallback : jsonAs<T>(*it, key);
}

template <class T> T jsonRequired(const nlohmann::json& j, const std::string& key) {
    const auto it = j.is_object() ? j.find(key) : j.end();
    if (it == j.end())
        throw JsonFieldError("'" + key + "' is missing");
    return jsonAs<T>(*it, key);
}

} // namespace uae::detail

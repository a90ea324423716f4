#include "uae/config_fields.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <algorithm>

namespace uae {

namespace {

// Shortest text that reads back as the same double.
std::string number(double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

Error invalid(const FieldSpec& spec, const std::string& problem) {
    return fail(spec.displayName() + ": " + problem + " (allowed: " + spec.allowed() + ")");
}

Status inRange(const FieldSpec& spec, double v, const std::string& text) {
    if (std::isnan(v) || v > spec.max || v < spec.min || (spec.minExclusive && v == spec.min))
        return invalid(spec, "'" + text + "' is out of range");
    return Ok{};
}

template <class Int> Status parseInteger(const FieldSpec& spec, const std::string& text, Int* out) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return invalid(spec, "'" + text + "' is not an integer");
    if (auto s = inRange(spec, static_cast<double>(v), text); !s)
        return s;
    *out = static_cast<Int>(v);
    return Ok{};
}

Status parseReal(const FieldSpec& spec, const std::string& text, double* out) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        return invalid(spec, "'" + text + "' is not a number");
    if (auto s = inRange(spec, v, text); !s)
        return s;
    *out = v;
    return Ok{};
}

Status parseFlag(const FieldSpec& spec, const std::string& text, bool* out) {
    if (text == "true" || text == "1" || text == "on" || text == "yes")
        return *out = true, Status(Ok{});
    if (text == "false" || text == "0" || text == "off" || text == "no")
        return *out = false, Status(Ok{});
    return invalid(spec, "'" + text + "' is not true or false");
}

// The JSON value at a dotted key, created on the way when `create`.
nlohmann::json* at(nlohmann::json& root, const std::string& key, bool create) {
    nlohmann::json* node = &root;
    std::size_t from = 0;
    for (;;) {
        const auto dot = key.find('.', from);
        const std::string part = key.substr(from, dot - from);
        if (!create && (!node->is_object() || !node->contains(part)))
            return nullptr;
        node = &(*node)[part];
        if (dot == std::string::npos)
            return node;
        from = dot + 1;
    }
}

nlohmann::json jsonValue(const BoundField& f) {
    return std::visit(
        [](const auto& ref) -> nlohmann::json {
            using T = std::decay_t<decltype(ref)>;
            if constexpr (std::is_same_v<T, ChoiceRef>)
                return ref.get();
            else
                return *ref;
        },
        f.ref);
}

// The JSON value as command-line text, so one parser checks both sources.
std::string jsonText(const nlohmann::json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer())
        return std::to_string(v.get<long long>());
    if (v.is_number())
        return number(v.get<double>());
    return v.dump();
}

} // namespace

std::string FieldSpec::allowed() const {
    switch (type) {
    case FieldType::Integer:
        return "an integer from " + number(min) + " to " + number(max);
    case FieldType::Real:
        return "a number " + std::string(minExclusive ? "> " : ">= ") + number(min) + " and <= " + number(max);
    case FieldType::Flag:
        return "true or false";
    case FieldType::Choice:
        return "one of " + joined(choices);
    case FieldType::Text:
        if (!checkAllowed.empty())
            return checkAllowed;
        return required ? "a non-empty text" : "any text";
    }
    return {};
}

std::string FieldSpec::displayName() const {
    return option.empty() ? key : "--" + option;
}

std::string fieldText(const BoundField& f) {
    return std::visit(
        [](const auto& ref) -> std::string {
            using T = std::decay_t<decltype(ref)>;
            if constexpr (std::is_same_v<T, ChoiceRef>)
                return ref.get();
            else if constexpr (std::is_same_v<T, std::string*>)
                return *ref;
            else if constexpr (std::is_same_v<T, bool*>)
                return *ref ? "true" : "false";
            else if constexpr (std::is_same_v<T, double*>)
                return number(*ref);
            else
                return std::to_string(*ref);
        },
        f.ref);
}

Status setFieldText(const BoundField& f, const std::string& text) {
    const FieldSpec& spec = *f.spec;
    return std::visit(
        [&](const auto& ref) -> Status {
            using T = std::decay_t<decltype(ref)>;
            if constexpr (std::is_same_v<T, ChoiceRef>) {
                if (!ref.set(text))
                    return invalid(spec, "'" + text + "' is not a known choice");
                return Ok{};
            } else if constexpr (std::is_same_v<T, std::string*>) {
                if (spec.required && text.empty())
                    return invalid(spec, "must not be empty");
                if (!spec.choices.empty() &&
                    std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
                    return invalid(spec, "'" + text + "' is not a known choice");
                if (spec.check && !text.empty())
                    if (const std::string problem = spec.check(text); !problem.empty())
                        return invalid(spec, problem);
                *ref = text;
                return Ok{};
            } else if constexpr (std::is_same_v<T, bool*>) {
                return parseFlag(spec, text, ref);
            } else if constexpr (std::is_same_v<T, double*>) {
                return parseReal(spec, text, ref);
            } else {
                return parseInteger(spec, text, ref);
            }
        },
        f.ref);
}

Status checkField(const BoundField& f) {
    if (const auto* d = std::get_if<double*>(&f.ref)) {
        const std::string text = number(**d);
        return std::isfinite(**d) ? inRange(*f.spec, **d, text) : invalid(*f.spec, "'" + text + "' is not a number");
    }
    // Parsing the value's own text applies every rule of setFieldText without a second copy of
    // them, and writes back the same value.
    return setFieldText(f, fieldText(f));
}

Status validateFields(const FieldList& fields) {
    for (const auto& f : fields)
        if (auto s = checkField(f); !s)
            return s;
    return Ok{};
}

std::string fieldsToJson(const FieldList& fields, const std::string& extra) {
    nlohmann::json root = extra.empty() ? nlohmann::json::object() : nlohmann::json::parse(extra);
    for (const auto& f : fields)
        if (!f.spec->key.empty()) // option-only fields (e.g. --resume) are not settings of the run
            *at(root, f.spec->key, true) = jsonValue(f);
    return root.dump();
}

Status fieldsFromJson(const FieldList& fields, const std::string& json, const std::string& what) {
    auto root = nlohmann::json::parse(json, nullptr, false);
    if (root.is_discarded() || !root.is_object())
        return fail(what + ": the configuration is not a JSON object");
    for (const auto& f : fields) {
        if (f.spec->key.empty())
            continue;
        const nlohmann::json* v = at(root, f.spec->key, false);
        if (!v || v->is_null())
            continue;
        if (auto s = setFieldText(f, jsonText(*v)); !s)
            return fail(what + ": " + s.error());
    }
    return Ok{};
}

} // namespace uae

// GGUF metadata: typed getters and values described for humans.
#include "gguf_detail.h"

#include <cstdio>

namespace uae {

using namespace gguf_detail;

namespace {

// The value for a getter, or an error naming the file, the key and the type found.
Result<const GgufValue*> typed(const GgufFile& f, const std::string& key, const char* wanted,
                               bool (*accepts)(const GgufValue&)) {
    const GgufValue* v = f.find(key);
    if (!v)
        return fail(f.path() + ": no metadata key " + quoted(key));
    if (!accepts(*v)) {
        std::string found = ggufValueTypeName(v->type);
        if (v->type == GgufValueType::Array)
            found += std::string(" of ") + ggufValueTypeName(v->elemType);
        return fail(f.path() + ": metadata key " + quoted(key) + " is " + found + ", not " + wanted);
    }
    return v;
}

bool isArrayOf(const GgufValue& v, bool (*elem)(GgufValueType)) {
    return v.type == GgufValueType::Array && elem(v.elemType);
}

} // namespace

Result<std::string> GgufFile::getString(const std::string& key) const {
    auto v = typed(*this, key, "a string", [](const GgufValue& x) { return x.type == GgufValueType::String; });
    return v ? Result<std::string>(v.value()->s) : fail(v.error());
}

Result<std::int64_t> GgufFile::getInt(const std::string& key) const {
    auto v = typed(*this, key, "an integer", [](const GgufValue& x) { return isInteger(x.type); });
    if (!v)
        return fail(v.error());
    if (v.value()->type == GgufValueType::U64 && v.value()->u > std::uint64_t(INT64_MAX))
        return fail(m_path + ": metadata key " + quoted(key) + " = " + std::to_string(v.value()->u) +
                    " does not fit in int64");
    return v.value()->i;
}

Result<double> GgufFile::getFloat(const std::string& key) const {
    auto v = typed(*this, key, "a number", [](const GgufValue& x) { return isFloat(x.type) || isInteger(x.type); });
    if (!v)
        return fail(v.error());
    const GgufValue& x = *v.value();
    return isFloat(x.type) ? x.f : isUnsigned(x.type) ? static_cast<double>(x.u) : static_cast<double>(x.i);
}

Result<bool> GgufFile::getBool(const std::string& key) const {
    auto v = typed(*this, key, "a bool", [](const GgufValue& x) { return x.type == GgufValueType::Bool; });
    return v ? Result<bool>(v.value()->b) : fail(v.error());
}

Result<std::vector<std::string>> GgufFile::getStrings(const std::string& key) const {
    auto v = typed(*this, key, "an array of string", [](const GgufValue& x) {
        return isArrayOf(x, [](GgufValueType t) { return t == GgufValueType::String; });
    });
    return v ? Result<std::vector<std::string>>(v.value()->strings) : fail(v.error());
}

Result<std::vector<std::int64_t>> GgufFile::getInts(const std::string& key) const {
    auto v = typed(*this, key, "an array of integers", [](const GgufValue& x) { return isArrayOf(x, isInteger); });
    if (!v)
        return fail(v.error());
    const GgufValue& x = *v.value();
    for (std::size_t k = 0; x.elemType == GgufValueType::U64 && k < x.ints.size(); ++k)
        if (x.ints[k] < 0) // stored as the bit pattern: above INT64_MAX
            return fail(m_path + ": metadata key " + quoted(key) + "[" + std::to_string(k) +
                        "] = " + std::to_string(static_cast<std::uint64_t>(x.ints[k])) + " does not fit in int64");
    return x.ints;
}

Result<std::vector<double>> GgufFile::getFloats(const std::string& key) const {
    auto v = typed(*this, key, "an array of numbers",
                   [](const GgufValue& x) { return isArrayOf(x, isFloat) || isArrayOf(x, isInteger); });
    if (!v)
        return fail(v.error());
    const GgufValue& x = *v.value();
    if (isFloat(x.elemType))
        return x.floats;
    std::vector<double> out;
    out.reserve(x.ints.size());
    for (auto i : x.ints)
        out.push_back(x.elemType == GgufValueType::U64 ? static_cast<double>(static_cast<std::uint64_t>(i))
                                                       : static_cast<double>(i));
    return out;
}

namespace {

std::string describeNumber(GgufValueType t, std::int64_t i, std::uint64_t u, double f) {
    char buf[40];
    if (isFloat(t))
        std::snprintf(buf, sizeof buf, t == GgufValueType::F32 ? "%.9g" : "%.17g", f);
    else if (t == GgufValueType::Bool)
        return u ? "true" : "false";
    else if (isUnsigned(t))
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(u));
    else
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(i));
    return buf;
}

std::string describeString(const std::string& s) {
    return "\"" + printable(s.size() <= 120 ? s : s.substr(0, 117) + "...") + "\"";
}

} // namespace

std::string GgufFile::describe(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v)
        return "(missing)";
    if (v->type == GgufValueType::String)
        return describeString(v->s);
    if (v->type != GgufValueType::Array)
        return describeNumber(v->type, v->i, v->u, v->f);
    constexpr std::size_t kShown = 5;
    std::string out = std::string("[") + ggufValueTypeName(v->elemType) + " x " + std::to_string(v->count) + "]";
    const GgufValueType e = v->elemType;
    for (std::size_t k = 0; k < std::min<std::uint64_t>(v->count, kShown) && e != GgufValueType::Array; ++k) {
        out += k ? ", " : " ";
        if (e == GgufValueType::String)
            out += describeString(v->strings[k]);
        else if (isFloat(e))
            out += describeNumber(e, 0, 0, v->floats[k]);
        else
            out += describeNumber(e, v->ints[k], static_cast<std::uint64_t>(v->ints[k]), 0);
    }
    if (v->count > kShown && e != GgufValueType::Array)
        out += ", ...";
    return out;
}

} // namespace uae

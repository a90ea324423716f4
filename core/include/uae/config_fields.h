#pragma once
// One field table per job configuration: each setting's JSON key, command-line option, help,
// type and allowed values, written once. Serialisation, validation, the CLI's options (and their
// help) and the GUI's editor ranges all come from these tables, so the two front ends cannot drift
// apart and a stored run says exactly what ran.
#include "uae/result.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace uae {

enum class FieldType { Integer, Real, Flag, Text, Choice };

struct FieldSpec {
    std::string key;    // JSON key of the stored config; "a.b" is key b of object a
    std::string option; // command-line option without "--"; empty: not an option
    std::string help;
    FieldType type = FieldType::Text;
    double min = 0, max = 0;          // Integer and Real: the allowed range (inclusive)
    bool minExclusive = false;        // Real: "> min" rather than ">= min"
    std::vector<std::string> choices; // Choice: the accepted names
    bool required = false;            // Text: must not be empty
    bool negated = false;             // Flag: the option ("--no-x") sets it false
    // Text: a further rule; returns what is wrong with a value, or empty.
    std::function<std::string(const std::string&)> check;
    std::string checkAllowed; // Text with a check: what it allows, for messages and help

    // "an integer from 1 to 1000", "a number > 0 and <= 100", "one of soft, masked, hybrid, gold".
    std::string allowed() const;
    // "--tau-t" (or the JSON key when the field is no option): how errors name the field.
    std::string displayName() const;
};

// A choice held as an enum: read and written through its name.
struct ChoiceRef {
    std::function<std::string()> get;
    std::function<bool(const std::string&)> set; // false: not a valid name
};
using FieldRef = std::variant<int*, long*, double*, bool*, std::string*, ChoiceRef>;

// A field bound to one config object. The object must outlive it.
struct BoundField {
    const FieldSpec* spec = nullptr;
    FieldRef ref;
};
using FieldList = std::vector<BoundField>;

// A config type's table: its specs with, for each, how to reach the member of an object.
template <class Config> struct Field {
    FieldSpec spec;
    std::function<FieldRef(Config&)> bind;
};

template <class Config> FieldList bindFields(const std::vector<Field<Config>>& table, const Config& config) {
    // The references are only written through when the caller's object is non-const
    // (setFieldText, fieldsFromJson take the list from a non-const object).
    auto& target = const_cast<Config&>(config);
    FieldList out;
    out.reserve(table.size());
    for (const auto& f : table)
        out.push_back(BoundField{&f.spec, f.bind(target)});
    return out;
}

// The value as the command line would write it ("0.1", "15", "soft", "true").
std::string fieldText(const BoundField& field);
// Parses text strictly (all of it, in range, a known choice) into the field. The error names the
// option and what is allowed: "--epochs: 'ten' is not an integer (allowed: an integer from 1 to 1000)".
Status setFieldText(const BoundField& field, const std::string& text);
// The current value against its range and choices.
Status checkField(const BoundField& field);
// Every field; the first error.
Status validateFields(const FieldList& fields);

// {"key": value, ...} with nested objects for dotted keys; `extra` (a JSON object or empty) adds
// informational keys that are not settings.
std::string fieldsToJson(const FieldList& fields, const std::string& extra = {});
// Sets every field present in the JSON object, each checked as it is set (keys absent keep their
// value; unknown keys are ignored: older and newer runs stay readable). `what` names the source.
Status fieldsFromJson(const FieldList& fields, const std::string& json, const std::string& what);

} // namespace uae

namespace uae {

// What every job config offers, from its type's table (Config::fieldTable()) and the
// informational JSON it adds (Config::jsonExtra(), may be empty).
template <class Config> struct Configurable {
    FieldList fields() const { return bindFields(Config::fieldTable(), static_cast<const Config&>(*this)); }
    // The spec of the field stored under `key` (an editor's range and help); throws for an unknown key.
    static const FieldSpec& spec(const std::string& key) {
        for (const auto& f : Config::fieldTable())
            if (f.spec.key == key)
                return f.spec;
        throw std::out_of_range("no setting '" + key + "'");
    }
    Status validate() const { return validateFields(fields()); }
    std::string toJson() const { return fieldsToJson(fields(), Config::jsonExtra()); }
    // A stored config read back: the type's defaults, then every key present.
    static Result<Config> fromJson(const std::string& json, const std::string& what = "run configuration") {
        Config c;
        if (auto s = fieldsFromJson(c.fields(), json, what); !s)
            return fail(s.error());
        return c;
    }
};

} // namespace uae

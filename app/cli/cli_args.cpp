#include "cli_args.h"

#include <cstdio>

namespace uae::cli {

namespace {

std::string helpOf(const FieldSpec& spec, const std::string& value) {
    if (spec.type == FieldType::Flag)
        return spec.help;
    std::string help = spec.help + " (" + spec.allowed();
    if (spec.type != FieldType::Flag && !value.empty())
        help += "; default " + (value == "\n" ? std::string("\\n") : value);
    return help + ")";
}

} // namespace

Args& Args::fields(const FieldList& defaults) {
    for (const auto& f : defaults) {
        const FieldSpec& spec = *f.spec;
        if (spec.option.empty() || m_command->get_option_no_throw("--" + spec.option))
            continue;
        const std::string name = "--" + spec.option;
        if (spec.type == FieldType::Flag)
            m_command->add_flag(name, m_flags[spec.option], helpOf(spec, {}));
        else
            m_command->add_option(name, m_values[spec.option], helpOf(spec, fieldText(f)))
                ->type_name(spec.type == FieldType::Integer ? "INT" : spec.type == FieldType::Real ? "NUM" : "TEXT");
    }
    return *this;
}

Args& Args::option(const std::string& name, const std::string& help) {
    m_command->add_option("--" + name, m_values[name], help);
    return *this;
}

Args& Args::flag(const std::string& name, const std::string& help) {
    m_command->add_flag("--" + name, m_flags[name], help);
    return *this;
}

Args& Args::positionals(const std::string& name, const std::string& help) {
    m_command->add_option(name, m_positional, help);
    return *this;
}

bool Args::has(const std::string& name) const {
    const auto* option = m_command->get_option_no_throw("--" + name);
    return option && option->count() > 0;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return has(name) && it != m_values.end() ? it->second : fallback;
}

Status Args::apply(const FieldList& target) const {
    for (const auto& f : target) {
        const FieldSpec& spec = *f.spec;
        if (spec.option.empty() || !has(spec.option))
            continue;
        const std::string text = spec.type == FieldType::Flag ? (spec.negated ? "false" : "true") : get(spec.option);
        if (auto s = setFieldText(f, text); !s)
            return s;
    }
    return Ok{};
}

Args& newCommand(CLI::App& root, const std::string& name, const std::string& summary, std::unique_ptr<Args>& out) {
    out = std::make_unique<Args>(root.add_subcommand(name, summary));
    return *out;
}

CommonOptions& commonOptions() {
    static CommonOptions options;
    return options;
}

} // namespace uae::cli

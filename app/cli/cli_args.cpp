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

bool namesAnOption(const CLI::App* app, const std::string& name) {
    if (app->get_option_no_throw(name))
        return true;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; }))
        if (namesAnOption(sub, name))
            return true;
    return false;
}

// CLI11 hands an option that takes one value the next argument even when that is another option
// ("--workspace --workspace" opened a workspace file named "--workspace"): such a value is refused.
CLI::Option* valueIsNoOption(CLI::Option* option, const CLI::App* command) {
    return option->check([command](const std::string& value) -> std::string {
        if (!value.starts_with("--"))
            return {};
        const CLI::App* root = command;
        while (root->get_parent())
            root = root->get_parent();
        return namesAnOption(root, value) ? "'" + value + "' is an option, not a value: the value is missing" : "";
    });
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
            valueIsNoOption(m_command->add_option(name, m_values[spec.option], helpOf(spec, fieldText(f))), m_command)
                ->type_name(spec.type == FieldType::Integer ? "INT"
                            : spec.type == FieldType::Real  ? "NUM"
                                                            : "TEXT");
    }
    return *this;
}

Args& Args::option(const std::string& name, const std::string& help) {
    valueIsNoOption(m_command->add_option("--" + name, m_values[name], help), m_command);
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

#include "uae/run_types.h"

#include <array>
#include <utility>

namespace uae {

namespace {

template <class E, std::size_t N> using Names = std::array<std::pair<E, const char*>, N>;

constexpr Names<RunKind, 4> kKinds{
    {{RunKind::Eval, "eval"}, {RunKind::Label, "label"}, {RunKind::Train, "train"}, {RunKind::Answer, "answer"}}};
constexpr Names<RunStatus, 5> kStatuses{{{RunStatus::Running, "running"},
                                         {RunStatus::Finished, "finished"},
                                         {RunStatus::Cancelled, "cancelled"},
                                         {RunStatus::Failed, "failed"},
                                         {RunStatus::Interrupted, "interrupted"}}};
constexpr Names<Method, 5> kMethods{{{Method::Bm25, "bm25"},
                                     {Method::Glove, "glove"},
                                     {Method::Bert, "bert"},
                                     {Method::LlmRerank, "llm-rerank"},
                                     {Method::Uae, "uae"}}};
constexpr Names<EncoderKind, 2> kEncoders{{{EncoderKind::Glove, "glove"}, {EncoderKind::Bert, "bert"}}};

template <class E, std::size_t N> const char* nameOf(const Names<E, N>& names, E value) {
    for (const auto& [e, n] : names)
        if (e == value)
            return n;
    return "?";
}

template <class E, std::size_t N> std::optional<E> valueOf(const Names<E, N>& names, const std::string& name) {
    for (const auto& [e, n] : names)
        if (name == n)
            return e;
    return std::nullopt;
}

template <class E, std::size_t N> std::vector<std::string> allNames(const Names<E, N>& names) {
    std::vector<std::string> out;
    for (const auto& [e, n] : names)
        out.emplace_back(n);
    return out;
}

} // namespace

const char* toString(RunKind kind) {
    return nameOf(kKinds, kind);
}
const char* toString(RunStatus status) {
    return nameOf(kStatuses, status);
}
const char* toString(Method method) {
    return nameOf(kMethods, method);
}
const char* toString(EncoderKind encoder) {
    return nameOf(kEncoders, encoder);
}

std::optional<RunKind> parseRunKind(const std::string& name) {
    return valueOf(kKinds, name);
}
std::optional<RunStatus> parseRunStatus(const std::string& name) {
    return valueOf(kStatuses, name);
}
std::optional<EncoderKind> parseEncoder(const std::string& name) {
    return valueOf(kEncoders, name);
}

std::optional<MethodId> parseMethod(const std::string& name) {
    if (name.starts_with("bert:") && name.size() > 5)
        return MethodId{Method::Bert, name.substr(5)};
    if (auto m = valueOf(kMethods, name))
        return MethodId{*m, {}};
    return std::nullopt;
}

std::vector<std::string> runStatusNames() {
    return allNames(kStatuses);
}
std::vector<std::string> encoderNames() {
    return allNames(kEncoders);
}
std::vector<std::string> methodNames() {
    return {"bm25", "glove", "bert", "bert:NAME", "llm-rerank", "uae"};
}

} // namespace uae

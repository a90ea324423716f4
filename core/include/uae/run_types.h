#pragma once
// The closed vocabularies of the workbench as enums: what a run is, how it ended, which method
// ranks and which encoder trains. Their names are the strings stored in the workspace and taken
// on the command line; code compares enums, and converts only at those boundaries.
#include <optional>
#include <string>
#include <vector>

namespace uae {

enum class RunKind { Eval, Label, Train, Answer };
enum class RunStatus { Running, Finished, Cancelled, Failed, Interrupted };
// Ranking methods; Bert also stands for "bert:NAME", a fetched encoder named by the model part.
enum class Method { Bm25, Glove, Bert, LlmRerank, Uae };
// What UAE fine-tunes: GloVe with trainable projections, or a BERT-family checkpoint.
enum class EncoderKind { Glove, Bert };

const char* toString(RunKind kind);
const char* toString(RunStatus status);
const char* toString(Method method);
const char* toString(EncoderKind encoder);

std::optional<RunKind> parseRunKind(const std::string& name);
std::optional<RunStatus> parseRunStatus(const std::string& name);
std::optional<EncoderKind> parseEncoder(const std::string& name);

// A method as given ("bm25", "bert", "bert:all-MiniLM-L6-v2"): the method and, for "bert:NAME",
// the model it names.
struct MethodId {
    Method method = Method::Bm25;
    std::string model;
};
std::optional<MethodId> parseMethod(const std::string& name);

std::vector<std::string> runStatusNames();
std::vector<std::string> encoderNames();
std::vector<std::string> methodNames(); // bm25, glove, bert, bert:NAME, llm-rerank, uae

} // namespace uae

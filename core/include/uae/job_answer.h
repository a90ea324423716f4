#pragma once
// The answering job: for each question of a stored retrieval run, read the top-k paragraphs of
// its ranking with a reader, score the answer with the official Answer-F1, store both.
#include "uae/answering.h"
#include "uae/config_fields.h"
#include "uae/job.h"
#include "uae/result.h"
#include "uae/run_types.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace uae {

struct Dataset;
class Store;

struct AnswerJobConfig : Configurable<AnswerJobConfig> {
    std::int64_t evalRun = 0;
    std::string reader = "extractive"; // extractive | lm
    std::string model;                 // lm reader: llama2.c .bin or Hugging Face folder / id
    std::string device = "auto";
    std::string dtype = "auto";
    int k = 3; // paragraphs given to the reader
    int maxNewTokens = 32;
    std::string stop = "auto"; // lm reader: the answer ends before this; auto: a line break for the plain
                               // prompt, the end of the assistant's turn for chat (replies often
                               // open with "The answer is:" and a line break)
    // lm reader: plain (answer-v1) | chat (answer-chat-v1, ChatML turns) | auto: chat for an
    // instruct model (isInstructModel), else plain. Stored resolved (Workspace::answer).
    std::string prompt = "auto";
    long limit = 0;

    // The prompt the lm reader uses: "chat" or "plain" (auto resolved by the model's name).
    std::string resolvedPrompt() const;
    std::vector<std::string> resolvedStops() const; // what auto means for the resolved prompt

    static const std::vector<Field<AnswerJobConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
};

Result<std::unique_ptr<AnswerReader>> makeReader(const AnswerJobConfig& config);

struct AnswerJobResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Running;
    std::string error;
    long answered = 0;
    double meanF1 = 0;        // over every question answered, as the official evaluator averages
    double msPerQuestion = 0; // wall time of reading (and storing) per question answered
};

AnswerJobResult runAnswerJob(Store& store, const Dataset& data, AnswerReader& reader, const AnswerJobConfig& config,
                             const JobContext& ctx);

} // namespace uae

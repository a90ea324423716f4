#pragma once
// The embedding map: the questions of a split and the paragraphs of their papers, projected to
// two dimensions for one or more encoders side by side (e.g. MiniLM beside UAE-MiniLM), with
// what to draw over them (lines from a question to its gold paragraphs and to each method's
// top-1) and what to colour them by (paper, teacher utility). Plain data; the UI only draws it.
#include "uae/job.h"
#include "uae/projection.h"
#include "uae/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace uae {

class Encoder;
struct Dataset;
struct LabelRow;
struct QuestionResult;

enum class MapItemKind : std::uint8_t { Paragraph, Question };

// One point of the map. paper: index into Dataset::papers; index: the paragraph's index in its
// paper, or the question's index into Dataset::questions.
struct MapItem {
    MapItemKind kind = MapItemKind::Paragraph;
    int paper = 0;
    int index = 0;
};

struct MapLayer {
    std::string method;      // as the inspector names it (glove, uae, bert:all-MiniLM-L6-v2, ...)
    std::string encoder;     // the encoder's own name
    Projection2D projection; // xy[2 * i], xy[2 * i + 1]: item i
};

struct EmbeddingMap {
    std::vector<MapItem> items; // paragraphs paper by paper, then the questions
    std::vector<MapLayer> layers;
    std::vector<int> questionItem;   // per Dataset::questions: its item, or -1 when not on the map
    std::vector<int> paperFirstItem; // per Dataset::papers: the item of its paragraph 0, or -1

    int itemOfQuestion(int question) const;
    int itemOfParagraph(int paper, int paragraph) const; // -1 when not on the map
};

// The items of a split: its first `limit` questions (0: all) and every paragraph of their papers.
EmbeddingMap mapItems(const Dataset& data, long limit = 0);

// Encodes the items with each encoder (paragraphs with the passage role, paper by paper, through
// whatever cache the encoder has; questions with the query role) and projects each encoder's
// vectors with PCA, questions and paragraphs together. methods[i] names encoders[i]. Polls
// cancellation between papers; progress counts texts encoded. Encoders run on this thread.
Result<EmbeddingMap> buildEmbeddingMap(const Dataset& data, const std::vector<std::string>& methods,
                                       const std::vector<std::shared_ptr<Encoder>>& encoders, long limit,
                                       const JobContext& ctx);

enum class MapLinkKind : std::uint8_t { Gold, Top1 };

struct MapLink {
    MapLinkKind kind = MapLinkKind::Gold;
    int from = -1;    // the question's item
    int to = -1;      // a paragraph's item
    int ranking = -1; // Top1: index into the rankings given; Gold: -1
};

// Lines from a question (index into Dataset::questions) to its gold paragraphs and to the top-1
// paragraph of each ranking given (null entries skipped); none when the question is not on the map.
std::vector<MapLink> mapLinks(const EmbeddingMap& map, const Dataset& data, int question,
                              const std::vector<const QuestionResult*>& rankings);

// Per item: a paragraph's teacher utility, the highest any question of its paper gave it; NaN
// for questions and for paragraphs without a label.
std::vector<float> itemUtilities(const EmbeddingMap& map, const Dataset& data, const std::vector<LabelRow>& labels);

// What a map job is asked for (Workspace::embeddingMap). Each method is resolved as `uae eval`
// resolves it (the GloVe folder, the newest training run for uae, the embedding cache).
struct EmbeddingMapConfig {
    std::vector<std::string> methods{"glove"}; // one or two (more are drawn, but side by side is for two)
    std::vector<std::string> modelPaths;       // per method, optional: as EvalJobConfig::modelPath
    std::string split = "dev";
    std::string dataPath;
    std::string device = "auto";
    int batch = 64;
    long limit = 0; // first N questions (0: all)
};

} // namespace uae

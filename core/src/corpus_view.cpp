#include "uae/qasper.h"

namespace uae {

Dataset corpusView(const Dataset& data) {
    Dataset out;
    out.name = data.name;
    out.files = data.files;
    out.format = data.format;
    out.mapping = data.mapping;
    Paper corpus;
    corpus.id = kCorpusPaperId;
    corpus.title = "every paragraph of split " + data.name;
    std::vector<int> offset;
    for (const auto& paper : data.papers) {
        offset.push_back(static_cast<int>(corpus.paragraphs.size()));
        for (auto p : paper.paragraphs) {
            p.paperId = paper.id;
            corpus.paragraphs.push_back(std::move(p));
        }
    }
    out.papers.push_back(std::move(corpus));
    out.questions = data.questions;
    for (auto& q : out.questions) {
        const int shift = offset.at(static_cast<size_t>(q.paper));
        q.paper = 0;
        for (auto& g : q.gold)
            g += shift;
        for (auto& ref : q.references)
            for (auto& ev : ref.evidence)
                ev.paragraph = ev.paragraph >= 0 ? ev.paragraph + shift : ev.paragraph;
    }
    return out;
}

} // namespace uae

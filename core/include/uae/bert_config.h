#pragma once
// The parts of a Hugging Face BERT config.json (BertModel, also BGE, MiniLM, E5, GTE) and of a
// sentence-transformers folder that decide how embeddings are computed.
#include "uae/result.h"

#include <string>

namespace uae {

enum class Pooling { Cls, Mean };
const char* poolingName(Pooling p);

struct BertConfig {
    int vocabSize = 30522;
    int hiddenSize = 768;
    int numLayers = 12;
    int numHeads = 12;
    int intermediateSize = 3072;
    int maxPositions = 512;
    int typeVocabSize = 2;
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu"; // gelu (erf) | gelu_new / gelu_pytorch_tanh | relu

    // From sentence-transformers files when present (modules.json, 1_Pooling/config.json,
    // config_sentence_transformers.json); else CLS, as BGE uses. Embeddings are always
    // L2-normalised (retrieval uses inner product as cosine).
    Pooling pooling = Pooling::Cls;
    // Prepended to queries (not passages): the checkpoint's "query" prompt, or BGE's English
    // instruction for bge-*-en checkpoints, else empty.
    std::string queryInstruction;
    // sentence_bert_config.json's max_seq_length (0: none given). sentence-transformers passes it
    // to the tokenizer explicitly, so it overrides tokenizer.json's own truncation length.
    int maxSeqLength = 0;
    // sentence_bert_config.json's do_lower_case: sentence-transformers lower-cases each text (with
    // the prompt) before its tokenizer sees it, so a literal "[CLS]" in a text is words there, not
    // the special token (bge-small-en-v1.5 sets it; all-MiniLM-L6-v2 does not).
    bool lowerCaseInput = false;

    // dir: the model folder. Errors name the file and the bad field.
    static Result<BertConfig> load(const std::string& dir);
};

} // namespace uae

#!/usr/bin/python3
"""Independent reference for the BERT bi-encoder conformance test.

Builds a tiny random BERT (2 layers, hidden 64) in Hugging Face layout (config.json,
model.safetensors, vocab.txt, sentence-transformers pooling files) and writes reference
embeddings computed by a forward pass that follows transformers' modeling_bert.BertModel
(and a tokenizer that follows transformers' slow BertTokenizer), written with plain PyTorch
(Debian's python3-torch 1.13; transformers is not packaged for Debian).

usage: /usr/bin/python3 bert_reference.py QASPER_DIR OUT_DIR"""
import collections
import glob
import json
import math
import os
import re
import struct
import sys
import unicodedata

import torch
import torch.nn.functional as F

INSTRUCTION = "Represent this sentence for searching relevant passages: "
HIDDEN, LAYERS, HEADS, INTER, MAX_POS = 64, 2, 4, 128, 128


# ---- tokenizer, after transformers' BasicTokenizer + WordpieceTokenizer -------------------
def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return any(a <= cp <= b for a, b in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                                          (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)])


def basic_tokens(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif is_cjk(cp):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    words = []
    for w in "".join(out).split():
        w = "".join(c for c in unicodedata.normalize("NFD", w.lower()) if unicodedata.category(c) != "Mn")
        cur = ""
        for ch in w:
            if is_punct(ch):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    return words


def wordpiece(word, vocab):
    if len(word) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            sub = ("##" if start else "") + word[start:end]
            if sub in vocab:
                break
            end -= 1
        if end == start:
            return ["[UNK]"]
        pieces.append(sub)
        start = end
    return pieces


def encode(text, vocab, max_len=MAX_POS):
    # Special tokens are cut out of the raw text first, as PreTrainedTokenizer.tokenize does.
    toks = []
    for part in re.split(r"(\[PAD\]|\[UNK\]|\[CLS\]|\[SEP\]|\[MASK\])", text):
        if part in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"):
            toks.append(part)
        else:
            toks += [p for w in basic_tokens(part) for p in wordpiece(w, vocab)]
    toks = toks[: max_len - 2]
    return [vocab["[CLS]"]] + [vocab[t] for t in toks] + [vocab["[SEP]"]]


# ---- model, after transformers' BertModel ---------------------------------------------------
def forward(w, ids):
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: ids.shape[1]] \
        + w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = F.layer_norm(x, (HIDDEN,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
    d = HIDDEN // HEADS
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        lin = lambda t, n: F.linear(t, w[p + n + ".weight"], w[p + n + ".bias"])
        split = lambda t: t.view(t.shape[0], t.shape[1], HEADS, d).permute(0, 2, 1, 3)
        q, k, v = split(lin(x, "attention.self.query")), split(lin(x, "attention.self.key")), split(lin(x, "attention.self.value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
        ctx = (probs @ v).permute(0, 2, 1, 3).reshape(x.shape)
        a = F.layer_norm(lin(ctx, "attention.output.dense") + x, (HIDDEN,),
                         w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], 1e-12)
        h = F.gelu(lin(a, "intermediate.dense"))
        x = F.layer_norm(lin(h, "output.dense") + a, (HIDDEN,), w[p + "output.LayerNorm.weight"],
                         w[p + "output.LayerNorm.bias"], 1e-12)
    return x


def embed(w, ids, pooling):
    with torch.no_grad():
        h = forward(w, torch.tensor([ids]))[0]
    v = h[0] if pooling == "cls" else h.mean(0)
    return F.normalize(v, dim=0).tolist()


# ---- files -------------------------------------------------------------------------------
def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header).encode()
    h += b" " * (-(len(h) + 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def corpus(data_dir):
    papers = {}
    for f in sorted(glob.glob(os.path.join(data_dir, "qasper-dev-*.json"))):
        papers.update(json.load(open(f)))
    texts, questions = [], []
    for i, (pid, p) in enumerate(sorted(papers.items())[:24]):
        paras = [x for s in p["full_text"] for x in s["paragraphs"] if x.strip()]
        texts.append(paras[i % len(paras)])  # whole paragraphs: long ones get truncated at 128
        questions.append(p["qas"][0]["question"])
    texts += ["Héllo, WORLD! naïve café", "short", "日本語 and [MASK]-like text", "x" * 150]
    return texts, questions, papers


def build_vocab(papers):
    counts = collections.Counter()
    for p in papers.values():
        for s in p["full_text"]:
            for para in s["paragraphs"]:
                counts.update(basic_tokens(para))
    words = [w for w, _ in counts.most_common(600) if not is_punct(w[0])]
    chars = [chr(c) for c in range(33, 127)]
    subs = ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"] + ["##ing", "##ed", "##s", "##ly", "##er"]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + subs
    vocab += [w for w in words if w not in set(vocab)]
    return vocab


def main(data_dir, out):
    texts, questions, papers = corpus(data_dir)
    vocab_list = build_vocab(papers)
    vocab = {t: i for i, t in enumerate(vocab_list)}
    torch.manual_seed(0)
    V = len(vocab_list)
    shapes = {"embeddings.word_embeddings.weight": (V, HIDDEN), "embeddings.position_embeddings.weight": (MAX_POS, HIDDEN),
              "embeddings.token_type_embeddings.weight": (2, HIDDEN)}
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for n, s in [("attention.self.query", (HIDDEN, HIDDEN)), ("attention.self.key", (HIDDEN, HIDDEN)),
                     ("attention.self.value", (HIDDEN, HIDDEN)), ("attention.output.dense", (HIDDEN, HIDDEN)),
                     ("intermediate.dense", (INTER, HIDDEN)), ("output.dense", (HIDDEN, INTER))]:
            shapes[p + n + ".weight"] = s
            shapes[p + n + ".bias"] = (s[0],)
    w = {n: torch.randn(s) * 0.2 for n, s in shapes.items()}
    for n in ["embeddings.LayerNorm"] + [f"encoder.layer.{i}.{m}.LayerNorm" for i in range(LAYERS) for m in ("attention.output", "output")]:
        w[n + ".weight"] = 1 + 0.1 * torch.randn(HIDDEN)
        w[n + ".bias"] = 0.1 * torch.randn(HIDDEN)
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    save_safetensors(os.path.join(out, "model.safetensors"), w)
    json.dump({"architectures": ["BertModel"], "model_type": "bert", "vocab_size": V, "hidden_size": HIDDEN,
               "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "intermediate_size": INTER,
               "max_position_embeddings": MAX_POS, "type_vocab_size": 2, "hidden_act": "gelu",
               "layer_norm_eps": 1e-12, "position_embedding_type": "absolute"}, open(os.path.join(out, "config.json"), "w"), indent=1)
    open(os.path.join(out, "vocab.txt"), "w").write("\n".join(vocab_list) + "\n")
    json.dump({"do_lower_case": True, "model_max_length": MAX_POS}, open(os.path.join(out, "tokenizer_config.json"), "w"))
    json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
              open(os.path.join(out, "modules.json"), "w"), indent=1)
    json.dump({"word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False},
              open(os.path.join(out, "1_Pooling", "config.json"), "w"))
    json.dump({"prompts": {"query": INSTRUCTION}, "default_prompt_name": None},
              open(os.path.join(out, "config_sentence_transformers.json"), "w"))
    ref = {"passages": [], "queries": []}
    for t in texts:
        ids = encode(t, vocab)
        ref["passages"].append({"text": t, "ids": ids, "cls": embed(w, ids, "cls"), "mean": embed(w, ids, "mean")})
    for q in questions:
        ids = encode(INSTRUCTION + q, vocab)
        ref["queries"].append({"text": q, "ids": ids, "cls": embed(w, ids, "cls")})
    json.dump(ref, open(os.path.join(out, "reference.json"), "w"))
    print(f"{out}: vocab {V}, {len(texts)} passages, {len(questions)} queries")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

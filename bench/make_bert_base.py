#!/usr/bin/python3
"""Writes a BERT-base-sized checkpoint with random weights (12 layers, hidden 768, 12 heads,
intermediate 3072, 512 positions) in Hugging Face layout, with the real bert-base-uncased
vocabulary, for speed benchmarks. usage: make_bert_base.py VOCAB_DIR OUT_DIR"""
import json
import os
import shutil
import struct
import sys

import torch


def main(vocab_dir, out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    V, H, L, I, P = 30522, 768, 12, 3072, 512
    shapes = {"embeddings.word_embeddings.weight": (V, H), "embeddings.position_embeddings.weight": (P, H),
              "embeddings.token_type_embeddings.weight": (2, H), "embeddings.LayerNorm.weight": (H,),
              "embeddings.LayerNorm.bias": (H,)}
    for i in range(L):
        p = f"encoder.layer.{i}."
        for n, s in [("attention.self.query", (H, H)), ("attention.self.key", (H, H)), ("attention.self.value", (H, H)),
                     ("attention.output.dense", (H, H)), ("intermediate.dense", (I, H)), ("output.dense", (H, I))]:
            shapes[p + n + ".weight"], shapes[p + n + ".bias"] = s, (s[0],)
        for n in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[p + n + ".weight"], shapes[p + n + ".bias"] = (H,), (H,)
    header, offset = {}, 0
    for n, s in shapes.items():
        size = 4 * int(torch.tensor(s).prod())
        header[n] = {"dtype": "F32", "shape": list(s), "data_offsets": [offset, offset + size]}
        offset += size
    h = json.dumps(header).encode()
    h += b" " * (-(len(h) + 8) % 8)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for n, s in shapes.items():
            t = torch.ones(s) if n.endswith("LayerNorm.weight") else torch.randn(s) * 0.02
            f.write(t.numpy().astype("<f4").tobytes())
    json.dump({"model_type": "bert", "vocab_size": V, "hidden_size": H, "num_hidden_layers": L,
               "num_attention_heads": 12, "intermediate_size": I, "max_position_embeddings": P,
               "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12},
              open(os.path.join(out, "config.json"), "w"))
    for f in ("vocab.txt", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(vocab_dir, f), out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

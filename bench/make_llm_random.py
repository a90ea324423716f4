#!/usr/bin/python3
"""Writes a Qwen2-0.5B-shaped causal LM with random weights (hidden 896, 24 layers, 14 heads,
2 kv heads, intermediate 4864, vocab 151936, q/k/v biases, tied head; ~494M parameters, float32)
in Hugging Face layout, with GPT-2's byte-level BPE tokenizer (its ids are valid in this vocab),
for speed benchmarks. usage: make_llm_random.py GPT2_TOKENIZER_DIR OUT_DIR [LAYERS]"""
import json
import os
import shutil
import struct
import sys

import numpy as np


def main(tok_dir, out, layers=24):
    os.makedirs(out, exist_ok=True)
    V, D, I, H, KV = 151936, 896, 4864, 14, 2
    kvd = D // H * KV
    shapes = {"model.embed_tokens.weight": (V, D), "model.norm.weight": (D,)}
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes.update({p + "input_layernorm.weight": (D,), p + "post_attention_layernorm.weight": (D,),
                       p + "self_attn.q_proj.weight": (D, D), p + "self_attn.q_proj.bias": (D,),
                       p + "self_attn.k_proj.weight": (kvd, D), p + "self_attn.k_proj.bias": (kvd,),
                       p + "self_attn.v_proj.weight": (kvd, D), p + "self_attn.v_proj.bias": (kvd,),
                       p + "self_attn.o_proj.weight": (D, D), p + "mlp.gate_proj.weight": (I, D),
                       p + "mlp.up_proj.weight": (I, D), p + "mlp.down_proj.weight": (D, I)})
    header, offset = {}, 0
    for n, s in shapes.items():
        size = 4 * int(np.prod(s))
        header[n] = {"dtype": "F32", "shape": list(s), "data_offsets": [offset, offset + size]}
        offset += size
    h = json.dumps(header).encode()
    h += b" " * (-(len(h) + 8) % 8)
    rng = np.random.default_rng(0)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for n, s in shapes.items():
            t = np.ones(s, "<f4") if n.endswith("norm.weight") else (rng.standard_normal(s, dtype=np.float32) * 0.02)
            f.write(t.astype("<f4").tobytes())
    json.dump({"model_type": "qwen2", "vocab_size": V, "hidden_size": D, "intermediate_size": I,
               "num_hidden_layers": layers, "num_attention_heads": H, "num_key_value_heads": KV,
               "max_position_embeddings": 32768, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
               "tie_word_embeddings": True, "hidden_act": "silu"}, open(os.path.join(out, "config.json"), "w"))
    shutil.copy(os.path.join(tok_dir, "tokenizer.json"), out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:]))

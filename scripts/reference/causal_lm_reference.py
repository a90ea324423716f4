#!/usr/bin/python3
"""Independent reference for the causal LM conformance test: tiny random checkpoints in Hugging
Face layout (Llama with grouped-query attention and an untied head, Qwen2 with q/k/v biases and a
tied head, GPT-2 with Conv1D weights) and their logits, computed by forwards written after
transformers' modeling_llama / modeling_qwen2 / modeling_gpt2 with plain PyTorch (Debian's
python3-torch 1.13).

usage: /usr/bin/python3 causal_lm_reference.py OUT_DIR   (writes OUT_DIR/{llama,qwen2,gpt2}-tiny)"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

V = 128
SEQUENCES = [[1, 5, 17, 99, 42, 7, 3, 64, 100, 2, 8, 9], [1, 77, 12, 127, 0, 33], [5] * 3 + list(range(20, 40))]


def save(path, tensors):
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


def rms(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def llama_forward(cfg, w, ids):
    D, H, KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d, T, eps = D // H, len(ids), cfg["rms_norm_eps"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)][None]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2).float() / d))
    freqs = torch.outer(torch.arange(T).float(), inv)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((T, T), float("-inf")).triu(1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        proj = lambda t, n: F.linear(t, w[p + n + ".weight"], w.get(p + n + ".bias"))
        h = rms(x, w[p + "input_layernorm.weight"], eps)
        q = proj(h, "self_attn.q_proj").view(1, T, H, d).transpose(1, 2)
        k = proj(h, "self_attn.k_proj").view(1, T, KV, d).transpose(1, 2)
        v = proj(h, "self_attn.v_proj").view(1, T, KV, d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(1, KV, H // KV, T, d).reshape(1, H, T, d)  # repeat_kv
        v = v[:, :, None].expand(1, KV, H // KV, T, d).reshape(1, H, T, d)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1) @ v
        x = x + proj(a.transpose(1, 2).reshape(1, T, D), "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + proj(F.silu(proj(h, "mlp.gate_proj")) * proj(h, "mlp.up_proj"), "mlp.down_proj")
    x = rms(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return F.linear(x, head)[0]


def gpt2_forward(cfg, w, ids):
    D, H, T, eps = cfg["n_embd"], cfg["n_head"], len(ids), cfg["layer_norm_epsilon"]
    d = D // H
    x = w["wte.weight"][torch.tensor(ids)][None] + w["wpe.weight"][:T][None]
    mask = torch.full((T, T), float("-inf")).triu(1)
    conv = lambda t, n: t @ w[n + ".weight"] + w[n + ".bias"]  # Conv1D: weight is [in, out]
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        h = F.layer_norm(x, (D,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        q, k, v = conv(h, p + "attn.c_attn").split(D, dim=-1)
        q, k, v = (t.view(1, T, H, d).transpose(1, 2) for t in (q, k, v))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1) @ v
        x = x + conv(a.transpose(1, 2).reshape(1, T, D), p + "attn.c_proj")
        h = F.layer_norm(x, (D,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        x = x + conv(F.gelu(conv(h, p + "mlp.c_fc"), approximate="tanh"), p + "mlp.c_proj")
    x = F.layer_norm(x, (D,), w["ln_f.weight"], w["ln_f.bias"], eps)
    return F.linear(x, w["wte.weight"])[0]


def llama_like(name, qkv_bias, tied, kv_heads):
    cfg = {"model_type": name, "vocab_size": V, "hidden_size": 32, "intermediate_size": 72, "num_hidden_layers": 2,
           "num_attention_heads": 4, "num_key_value_heads": kv_heads, "rms_norm_eps": 1e-6, "rope_theta": 50000.0,
           "max_position_embeddings": 128, "tie_word_embeddings": tied, "hidden_act": "silu"}
    D, I = 32, 72
    kvd = D // 4 * kv_heads
    shapes = {"model.embed_tokens.weight": (V, D), "model.norm.weight": (D,)}
    if not tied:
        shapes["lm_head.weight"] = (V, D)
    for i in range(2):
        p = f"model.layers.{i}."
        shapes.update({p + "input_layernorm.weight": (D,), p + "post_attention_layernorm.weight": (D,),
                       p + "self_attn.q_proj.weight": (D, D), p + "self_attn.k_proj.weight": (kvd, D),
                       p + "self_attn.v_proj.weight": (kvd, D), p + "self_attn.o_proj.weight": (D, D),
                       p + "mlp.gate_proj.weight": (I, D), p + "mlp.up_proj.weight": (I, D), p + "mlp.down_proj.weight": (D, I)})
        if qkv_bias:
            shapes.update({p + "self_attn.q_proj.bias": (D,), p + "self_attn.k_proj.bias": (kvd,), p + "self_attn.v_proj.bias": (kvd,)})
    return cfg, shapes, llama_forward


def gpt2():
    D = 32
    cfg = {"model_type": "gpt2", "vocab_size": V, "n_embd": D, "n_layer": 2, "n_head": 4, "n_positions": 64,
           "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new"}
    shapes = {"wte.weight": (V, D), "wpe.weight": (64, D), "ln_f.weight": (D,), "ln_f.bias": (D,)}
    for i in range(2):
        p = f"h.{i}."
        shapes.update({p + "ln_1.weight": (D,), p + "ln_1.bias": (D,), p + "ln_2.weight": (D,), p + "ln_2.bias": (D,),
                       p + "attn.c_attn.weight": (D, 3 * D), p + "attn.c_attn.bias": (3 * D,),
                       p + "attn.c_proj.weight": (D, D), p + "attn.c_proj.bias": (D,),
                       p + "mlp.c_fc.weight": (D, 4 * D), p + "mlp.c_fc.bias": (4 * D,),
                       p + "mlp.c_proj.weight": (4 * D, D), p + "mlp.c_proj.bias": (D,)})
    return cfg, shapes, gpt2_forward


def main(out):
    torch.manual_seed(0)
    for name, (cfg, shapes, forward) in {"llama-tiny": llama_like("llama", False, False, 2),
                                         "qwen2-tiny": llama_like("qwen2", True, True, 1),
                                         "gpt2-tiny": gpt2()}.items():
        w = {}
        for n, s in shapes.items():
            w[n] = (1 + 0.1 * torch.randn(s)) if ("norm" in n or "ln_" in n) and n.endswith("weight") else torch.randn(s) * 0.3
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        save(os.path.join(d, "model.safetensors"), w)
        json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=1)
        with torch.no_grad():
            ref = [{"ids": s, "logits": forward(cfg, w, s).tolist()} for s in SEQUENCES]
        json.dump(ref, open(os.path.join(d, "reference.json"), "w"))
        print(d)


if __name__ == "__main__":
    main(sys.argv[1])

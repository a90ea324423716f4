#!/usr/bin/python3
"""PyTorch eager reference for teacher-forced scoring: the same random Qwen2-shaped checkpoint
and token ids as bench_llm, a forward written after transformers' modeling_qwen2, mean NLL.
usage: llm_eager.py MODEL_DIR IDS.jsonl THREADS"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(d):
    cfg = json.load(open(f"{d}/config.json"))
    raw = np.memmap(f"{d}/model.safetensors", dtype=np.uint8, mode="r")
    n = struct.unpack("<Q", raw[:8].tobytes())[0]
    header = json.loads(raw[8:8 + n].tobytes())
    w = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        w[name] = torch.from_numpy(np.array(raw[8 + n + a:8 + n + b]).view("<f4").reshape(info["shape"]))
    return cfg, w


def forward(cfg, w, ids):
    D, H, KV, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["rms_norm_eps"]
    d, (B, T) = D // H, ids.shape
    rms = lambda x, g: x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * g
    rot = lambda x: torch.cat((-x[..., d // 2:], x[..., :d // 2]), dim=-1)
    x = w["model.embed_tokens.weight"][ids]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2).float() / d))
    f = torch.outer(torch.arange(T).float(), inv)
    cos, sin = torch.cat((f, f), -1).cos(), torch.cat((f, f), -1).sin()
    mask = torch.full((T, T), float("-inf")).triu(1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        lin = lambda t, m: F.linear(t, w[p + m + ".weight"], w.get(p + m + ".bias"))
        h = rms(x, w[p + "input_layernorm.weight"])
        q = lin(h, "self_attn.q_proj").view(B, T, H, d).transpose(1, 2)
        k = lin(h, "self_attn.k_proj").view(B, T, KV, d).transpose(1, 2)
        v = lin(h, "self_attn.v_proj").view(B, T, KV, d).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k = k[:, :, None].expand(B, KV, H // KV, T, d).reshape(B, H, T, d)
        v = v[:, :, None].expand(B, KV, H // KV, T, d).reshape(B, H, T, d)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1) @ v
        x = x + lin(a.transpose(1, 2).reshape(B, T, D), "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + lin(F.silu(lin(h, "mlp.gate_proj")) * lin(h, "mlp.up_proj"), "mlp.down_proj")
    return F.linear(rms(x, w["model.norm.weight"]), w["model.embed_tokens.weight"])


def main(d, ids_path, threads):
    torch.set_num_threads(int(threads))
    cfg, w = load(d)
    ids = torch.tensor([json.loads(l) for l in open(ids_path)])
    with torch.inference_mode():
        forward(cfg, w, ids[:1])  # warm-up
        t = time.perf_counter()
        logp = torch.log_softmax(forward(cfg, w, ids), -1)
        nll = -logp[:, :-1].gather(-1, ids[:, 1:, None]).squeeze(-1)
        s = time.perf_counter() - t
    print(json.dumps({"tokens": ids.numel(), "seconds": s, "tps": ids.numel() / s, "mean_nll": float(nll.mean()),
                      "threads": int(threads), "torch": torch.__version__}))


if __name__ == "__main__":
    main(*sys.argv[1:])

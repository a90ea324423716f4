#!/usr/bin/python3
"""PyTorch eager reference for the encoding benchmark: the same checkpoint and the same token
ids as bench_bert_encode, a BertModel forward as transformers writes it, CLS pooling, L2 norm.
Prints passages/s for two batching schemes: input order (batches padded to their longest
member) and length-sorted (as sentence-transformers does).

usage: bert_eager.py MODEL_DIR IDS.jsonl THREADS BATCH"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(model_dir):
    cfg = json.load(open(f"{model_dir}/config.json"))
    raw = open(f"{model_dir}/model.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    w = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        w[name] = torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=(b - a) // 4, offset=8 + n + a).copy()).view(info["shape"])
    return cfg, w


def forward(cfg, w, ids, mask):
    H, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    d = H // heads
    B, T = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T] \
        + w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
    x = F.layer_norm(x, (H,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, m: F.linear(t, w[p + m + ".weight"], w[p + m + ".bias"])
        split = lambda t: t.view(B, T, heads, d).permute(0, 2, 1, 3)
        q, k, v = split(lin(x, "attention.self.query")), split(lin(x, "attention.self.key")), split(lin(x, "attention.self.value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
        ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, T, H)
        a = F.layer_norm(lin(ctx, "attention.output.dense") + x, (H,), w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], 1e-12)
        x = F.layer_norm(lin(F.gelu(lin(a, "intermediate.dense")), "output.dense") + a, (H,),
                         w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-12)
    return F.normalize(x[:, 0], dim=-1)


def run(cfg, w, seqs, batch, order):
    out = [None] * len(seqs)
    start = time.perf_counter()
    with torch.inference_mode():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            T = max(len(seqs[i]) for i in idx)
            ids = torch.zeros(len(idx), T, dtype=torch.long)
            mask = torch.zeros(len(idx), T, dtype=torch.long)
            for r, i in enumerate(idx):
                ids[r, :len(seqs[i])] = torch.tensor(seqs[i])
                mask[r, :len(seqs[i])] = 1
            emb = forward(cfg, w, ids, mask)
            for r, i in enumerate(idx):
                out[i] = emb[r]
    return time.perf_counter() - start, torch.stack(out)


def main(model_dir, ids_path, threads, batch):
    torch.set_num_threads(int(threads))
    cfg, w = load(model_dir)
    seqs = [json.loads(l) for l in open(ids_path)]
    run(cfg, w, seqs[:2], 2, [0, 1])  # warm-up
    t_in, e_in = run(cfg, w, seqs, int(batch), list(range(len(seqs))))
    t_sorted, e_sorted = run(cfg, w, seqs, int(batch), sorted(range(len(seqs)), key=lambda i: -len(seqs[i])))
    print(json.dumps({"passages": len(seqs), "threads": int(threads), "torch": torch.__version__,
                      "input_order_s": t_in, "input_order_pps": len(seqs) / t_in,
                      "sorted_s": t_sorted, "sorted_pps": len(seqs) / t_sorted,
                      "max_diff_orders": float((e_in - e_sorted).abs().max())}))
    np.save(ids_path + ".eager.npy", e_sorted.numpy())


if __name__ == "__main__":
    main(*sys.argv[1:])

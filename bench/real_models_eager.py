#!/usr/bin/env python3
"""The reference side of bench/run_real_models_bench.sh: the same passages through
sentence-transformers and the same token ids through transformers' LlamaForCausalLM (eager
attention, float32, weights dequantised from the same GGUF), on the same number of threads.

usage: real_models_eager.py BERT_DIR GGUF_FILE OUT_PREFIX THREADS  -> one JSON object on stdout
"""
import json
import os
import sys
import time

import torch


def main():
    bert_dir, gguf, prefix, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(threads)
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModelForCausalLM

    texts = [json.loads(line) for line in open(prefix + ".texts.jsonl", encoding="utf-8")]
    st = SentenceTransformer(bert_dir, device="cpu")
    st.encode(texts[:1])
    t0 = time.perf_counter()
    st.encode(texts, batch_size=32, normalize_embeddings=True)
    enc_s = time.perf_counter() - t0
    # One short question at a time, as the query path runs.
    q = "What dataset do the authors use to evaluate their retrieval model?"
    st.encode([q])
    t0 = time.perf_counter()
    for _ in range(20):
        st.encode([q])
    query_ms = 1000 * (time.perf_counter() - t0) / 20

    seqs = [json.loads(line) for line in open(prefix + ".ids.jsonl")]
    lm = AutoModelForCausalLM.from_pretrained(os.path.dirname(gguf), gguf_file=os.path.basename(gguf),
                                              torch_dtype=torch.float32, attn_implementation="eager").eval()
    ids = torch.tensor(seqs)
    with torch.inference_mode():
        lm(ids[:1])
        t0 = time.perf_counter()
        logits = lm(ids).logits
        nll = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
        tf_s = time.perf_counter() - t0
    print(json.dumps({
        "torch": torch.__version__, "threads": threads,
        "sentence_transformers": {"passages": len(texts), "seconds": enc_s, "pps": len(texts) / enc_s,
                                  "one_query_encode_ms": query_ms},
        "transformers_eager": {"tokens": ids.numel(), "seconds": tf_s, "tps": ids.numel() / tf_s,
                               "mean_nll": float(nll)},
    }))


if __name__ == "__main__":
    main()

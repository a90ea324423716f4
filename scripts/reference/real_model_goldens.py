#!/usr/bin/env python3
"""Goldens for the real-model conformance tests (tests/core/tst_real_models.cpp).

Runs the reference libraries (tokenizers, sentence-transformers, transformers, gguf) on the real
weights that scripts/fetch-models.sh put in the user cache, and writes what they compute into
tests/data/real-models/. The reference venv comes from scripts/reference/venv.sh; nothing here is
a dependency of the application.

    ~/.cache/uae-workbench/venv/bin/python scripts/reference/real_model_goldens.py

Texts: 300 real QASPER dev texts (150 questions, 150 paragraphs of every length, chosen by a
fixed rule), plus a few hand-written edge cases for the LLM tokenizer.
"""
import argparse
import glob
import hashlib
import json
import os
import sys

import numpy as np

CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "uae-workbench", "models")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BGE = "bge-small-en-v1.5"
MINILM = "all-MiniLM-L6-v2"
SMOL = "SmolLM2-135M-Instruct"
SMOL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

# Edge cases the QASPER texts may not reach: digits, Unicode, runs of spaces, special tokens.
LLM_EXTRA = [
    "In 2021, 3.14159 and 1,000,000 were 42% of 12345678901234567890.",
    "  leading and trailing spaces   ",
    "tabs\tand\nnewlines\n\n\nand \r\n CRLF",
    "Ünïcödé: naïve café, 東京, Москва, emoji 🙂👍🏽, math ∑∫√",
    "<|im_start|>user\nWhat is BM25?<|im_end|>\n<|im_start|>assistant\n",
    "don't won't it's we're they've I'm you'll he'd DON'T",
    "",
    "x" * 3000,
    "123abc456 ４５６ ½ ⅓ Ⅻ",
    "code: def f(x):\n    return x**2  # square",
]

PROMPTS = [
    "The capital of France is",
    "<|im_start|>user\nWhat is retrieval-augmented generation?<|im_end|>\n<|im_start|>assistant\n",
    "Question: What dataset do the authors use for evaluation?\nAnswer:",
    "BM25 is a ranking function that",
    "def fibonacci(n):\n",
]


def qasper_texts(qasper_dir, n_questions=150, n_paragraphs=150):
    papers = {}
    for path in sorted(glob.glob(os.path.join(qasper_dir, "qasper-dev-v0.3*.json"))):
        with open(path, encoding="utf-8") as f:
            papers.update(json.load(f))
    questions, paragraphs = [], []
    for pid in sorted(papers):
        paper = papers[pid]
        for qa in paper.get("qas", []):
            questions.append(qa["question"])
        for section in paper.get("full_text", []):
            for p in section.get("paragraphs", []):
                if p and p.strip():
                    paragraphs.append(p)
    # Every k-th item, so the selection spans all papers and all paragraph lengths.
    qs = questions[:: max(1, len(questions) // n_questions)][:n_questions]
    by_length = sorted(paragraphs, key=len)
    ps = by_length[:: max(1, len(by_length) // n_paragraphs)][:n_paragraphs]
    ps[-1] = by_length[-1]  # the longest paragraph of dev: truncation must agree too
    return [{"kind": "question", "text": q} for q in qs] + [{"kind": "paragraph", "text": p} for p in ps]


def write_safetensors(path, tensors):
    from safetensors.numpy import save_file
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}, path)


def bert_goldens(name, texts, out_dir, query_prompt):
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    folder = os.path.join(CACHE, name)
    tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    # The ids themselves: all-MiniLM-L6-v2's tokenizer.json also pads and truncates to 128, which
    # sentence-transformers overrides (max_seq_length) and uae tokenize leaves to --max-length.
    tok.no_padding()
    tok.no_truncation()
    ids = [tok.encode(t).ids for t in texts]
    model = SentenceTransformer(folder, device="cpu")
    passages = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    tensors = {"passage": passages}
    if query_prompt is not None:
        tensors["query"] = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True,
                                        prompt=query_prompt)
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(os.path.join(out_dir, "embeddings.safetensors"), tensors)
    with open(os.path.join(out_dir, "tokens.json"), "w") as f:
        json.dump({"model": name, "max_seq_length": model.max_seq_length, "ids": ids}, f, separators=(",", ":"))
    print(f"{name}: {len(texts)} texts, max_seq_length {model.max_seq_length}, dims {passages.shape}")


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def dequant_goldens(gguf_path, out_dir):
    from gguf import GGUFReader
    from gguf.quants import dequantize

    reader = GGUFReader(gguf_path)
    rows, samples = [], {}
    for t in reader.tensors:
        values = np.ascontiguousarray(dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(-1)
        idx = (np.arange(256, dtype=np.int64) * values.size) // 256
        samples[t.name] = values[idx]
        rows.append({"name": t.name, "type": t.tensor_type.name, "numel": int(values.size),
                     "sha256": hashlib.sha256(values.tobytes()).hexdigest(),
                     "sum": float(values.astype(np.float64).sum())})
    write_safetensors(os.path.join(out_dir, "dequant_samples.safetensors"), samples)
    with open(os.path.join(out_dir, "dequant.json"), "w") as f:
        json.dump(rows, f, indent=0)
    print(f"{SMOL}: {len(rows)} tensors dequantised")


def smollm2_tokenizer(converted):
    """SmolLM2's own tokenizer.json, rebuilt from the GGUF's vocabulary and merges (as transformers
    reads them) with the pre-tokenizer and post-processor SmolLM2 ships: Digits(individual_digits)
    then ByteLevel, no BOS template. transformers' GGUF converter writes a plain ByteLevel
    pre-tokenizer and a <|im_start|> BOS template instead (llama.cpp's "smollm" pre-tokenizer
    splits each digit, as SmolLM2's tokenizer.json does)."""
    from tokenizers import Tokenizer, decoders, pre_tokenizers, processors
    t = Tokenizer.from_str(converted.backend_tokenizer.to_str())
    t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                               pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    t.post_processor = processors.ByteLevel(trim_offsets=False)
    t.decoder = decoders.ByteLevel()
    return t


def greedy(model, ids, steps):
    """Greedy decoding as the argmax of LlamaForCausalLM's logits, step by step with its KV cache.
    (model.generate(do_sample=False) on the GGUF-loaded model in transformers 4.57.6 returns
    scores that are not the forward's logits and picks other tokens; the plain loop is the
    definition of greedy decoding.) Also the gap between the two best logits at each step: where
    it is below the logits' numerical agreement, float32 rounding may pick either token."""
    import torch
    from transformers import DynamicCache
    out, margins = [], []
    with torch.no_grad():
        o = model(torch.tensor([ids]), past_key_values=DynamicCache(), use_cache=True)
        for _ in range(steps):
            last = o.logits[0, -1]
            top = last.topk(2).values
            nxt = int(last.argmax())
            out.append(nxt)
            margins.append(float(top[0] - top[1]))
            o = model(torch.tensor([[nxt]]), past_key_values=o.past_key_values, use_cache=True)
    return out, margins


def llm_goldens(texts, out_dir):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = os.path.join(CACHE, SMOL)
    gguf_path = os.path.join(folder, SMOL_FILE)
    os.makedirs(out_dir, exist_ok=True)
    dequant_goldens(gguf_path, out_dir)
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=SMOL_FILE)
    # transformers' GGUF converter adds <|im_start|> as a BOS template although the file says
    # tokenizer.ggml.add_bos_token = false (as SmolLM2's own tokenizer.json does: no BOS); the
    # workbench follows the file, so the references are taken without special tokens added.
    all_texts = texts + LLM_EXTRA
    reference = smollm2_tokenizer(tok)
    ids = [reference.encode(t, add_special_tokens=False).ids for t in all_texts]
    converted = [tok(t, add_special_tokens=False)["input_ids"] for t in all_texts]
    differ = [i for i, (a, b) in enumerate(zip(ids, converted)) if a != b]
    print(f"{SMOL}: transformers' GGUF-converted tokenizer differs from SmolLM2's own on texts {differ}")
    with open(os.path.join(out_dir, "tokens.json"), "w") as f:
        json.dump({"reference": "tokenizers: SmolLM2's tokenizer.json (GGUF vocabulary and merges, its own "
                                "pre-tokenizer Digits(individual) + ByteLevel, no BOS)",
                   "converted_differs_on": differ,
                   "texts": all_texts[len(texts):], "ids": ids}, f, separators=(",", ":"), ensure_ascii=False)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=SMOL_FILE, torch_dtype=torch.float32)
    model.eval()
    vocab = model.config.vocab_size
    subset = np.sort(np.random.default_rng(0).choice(vocab, size=1024, replace=False)).astype(np.int64)
    tensors, prompts = {"subset_ids": subset.astype(np.float32)}, []
    with torch.no_grad():
        for i, p in enumerate(PROMPTS):
            pid = reference.encode(p, add_special_tokens=False).ids
            logits = model(torch.tensor([pid])).logits[0].float().numpy()
            tensors[f"prompt{i}.subset"] = logits[:, subset]
            tensors[f"prompt{i}.last"] = logits[-1]
            gen, margins = greedy(model, pid, 64)
            prompts.append({"prompt": p, "ids": pid, "greedy": gen, "margins": margins,
                            "greedy_text": reference.decode(gen, skip_special_tokens=True)})
            print(f"prompt {i}: {len(pid)} tokens -> {tok.decode(gen)[:60]!r}")
    write_safetensors(os.path.join(out_dir, "logits.safetensors"), tensors)
    with open(os.path.join(out_dir, "prompts.json"), "w") as f:
        json.dump(prompts, f, indent=1, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qasper", default=os.path.join(ROOT, "..", "shared", "datasets", "qasper"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "data", "real-models"))
    ap.add_argument("--only", choices=["bge", "minilm", "smollm2"], action="append")
    args = ap.parse_args()
    items = qasper_texts(args.qasper)
    texts = [i["text"] for i in items]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "texts.json"), "w") as f:
        json.dump(items, f, indent=0, ensure_ascii=False)
    only = set(args.only or ["bge", "minilm", "smollm2"])
    if "bge" in only:
        bert_goldens(BGE, texts, os.path.join(args.out, "bge-small"),
                     "Represent this sentence for searching relevant passages: ")
    if "minilm" in only:
        bert_goldens(MINILM, texts, os.path.join(args.out, "minilm"), None)
    if "smollm2" in only:
        llm_goldens(texts, os.path.join(args.out, "smollm2"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

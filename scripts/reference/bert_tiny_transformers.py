#!/usr/bin/env python3
"""Goldens for the tiny test BERT (tests/data/bert-tiny) from the real transformers library:
BertModel on the same token ids as reference.json (made by the independent bert_reference.py),
CLS and mean pooling, L2-normalised. Writes tests/data/bert-tiny/transformers_reference.json.

    ~/.cache/uae-workbench/venv/bin/python scripts/reference/bert_tiny_transformers.py
"""
import json
import os

import torch
import transformers
from transformers import BertModel, BertTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = os.path.join(ROOT, "tests", "data", "bert-tiny")


def main():
    ref = json.load(open(os.path.join(TINY, "reference.json")))
    model = BertModel.from_pretrained(TINY, add_pooling_layer=False).eval()
    tok = BertTokenizer(os.path.join(TINY, "vocab.txt"), do_lower_case=True)
    prompt = json.load(open(os.path.join(TINY, "config_sentence_transformers.json")))["prompts"]["query"]
    out = {"reference": f"transformers {transformers.__version__} BertModel, torch {torch.__version__}"}
    for name, items in ref.items():
        rows = []
        for r in items:
            text = (prompt if name == "queries" else "") + r["text"]
            ids = tok(text, truncation=True, max_length=128)["input_ids"]
            with torch.no_grad():
                h = model(torch.tensor([ids])).last_hidden_state[0]
            row = {"text": r["text"], "ids": ids,
                   "cls": torch.nn.functional.normalize(h[0], dim=0).tolist(),
                   "mean": torch.nn.functional.normalize(h.mean(0), dim=0).tolist()}
            rows.append(row)
        out[name] = rows
    with open(os.path.join(TINY, "transformers_reference.json"), "w") as f:
        json.dump(out, f)
    print("wrote", os.path.join(TINY, "transformers_reference.json"), out["reference"])


if __name__ == "__main__":
    main()

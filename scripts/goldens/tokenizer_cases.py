#!/usr/bin/env python3
"""Writes the tokenizer conformance inputs: real QASPER dev sentences and questions (a fixed,
deterministic sample) plus hard cases, one JSON object per line: {"text": ...} or {"a":, "b":},
with an optional "max_length" for truncation. tokenizer_goldens.js adds the reference ids.

usage: tokenizer_cases.py QASPER_DIR OUT.jsonl"""
import glob
import json
import os
import re
import sys

HARD = [
    "Héllo, WORLD! naïve café résumé Ångström Øresund",
    "日本語のテキストと中文字符混合 with English 한국어",
    "emoji 😀🚀 and ☃ snowman, 👩‍👩‍👧 family",
    "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 120,
    "numbers 3.14159, 1,000,000 and 2021-03-04 or 10^-6 ± 0.5%",
    "punctuation runs!!! ??? ... --- (((nested))) [brackets] {braces} <tags> \"quotes\" 'single'",
    "tabs\tand\nnewlines\r\nand\u00a0non-breaking\u2003em spaces",
    "control\u0007chars\u0000and\ufffdreplacement\u200bzero-width",
    "special tokens [CLS] inside [SEP] text [MASK] and [UNK] and [PAD]x",
    "İstanbul ΣΊΣΥΦΟΣ straße ǅemal ﬁne Ⅻ ①",
    "math: α + β = γ, ∑_{i=1}^{n} x_i ≤ ∞; f'(x) → 0",
    "URLs like https://github.com/allenai/qasper-led-baseline?x=1&y=2#frag",
    "mixed-case CamelCaseWords and snake_case_words and kebab-case-words",
    "",
    "   ",
    "a",
    "contractions: it's, they're, we've, I'm, you'll, he'd, don't, IT'S, rock 'n' roll",
    "multiple   spaces,\ttabs\t\tand\n\nnewlines \n trailing   ",
    "<|endoftext|>special<|endoftext|> tokens <|endoftext|>",
    "  leading spaces and 1234567890 digits 3.14 and ½ ² ٣ numbers",
]


def sentences(data_dir):
    files = sorted(glob.glob(os.path.join(data_dir, "qasper-dev-*.json")))
    papers = {}
    for f in files:
        with open(f) as fh:
            papers.update(json.load(fh))
    out = []
    for i, (pid, paper) in enumerate(sorted(papers.items())):
        if i % 2:
            continue
        out.append({"text": paper["qas"][0]["question"]} if paper["qas"] else None)
        paras = [p for s in paper["full_text"] for p in s["paragraphs"] if p.strip()]
        if paras:
            first = re.split(r"(?<=[.!?])\s+", paras[len(paras) // 2])[0]
            out.append({"text": first})
        if i % 10 == 0 and paras and paper["qas"]:
            out.append({"a": paper["qas"][0]["question"], "b": paras[0], "max_length": 64})
        if i % 20 == 0 and paras:
            out.append({"text": " ".join(paras[:3]), "max_length": 128})
    return [o for o in out if o]


def main(data_dir, out_path):
    cases = sentences(data_dir) + [{"text": t} for t in HARD]
    cases.append({"a": "short question?", "b": " ".join(["long passage words"] * 200), "max_length": 512})
    cases.append({"a": " ".join(["long question words"] * 150), "b": " ".join(["long passage"] * 200), "max_length": 100})
    with open(out_path, "w") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{out_path}: {len(cases)} cases")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

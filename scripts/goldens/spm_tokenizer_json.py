#!/usr/bin/env python3
"""Writes a Llama-2-style Hugging Face tokenizer.json (SentencePiece BPE with byte fallback, as
transformers' LlamaConverter writes them) from a llama2.c tokenizer.bin, so the SentencePiece path
of the workbench's BPE can be checked against Hugging Face's tokenizers library without any Llama
files on the build machines. Merges come from the vocabulary as the converter derives them: every
split of a piece into two pieces of the vocabulary, ordered by the merged piece's score.

usage: spm_tokenizer_json.py tok512.bin OUT.json"""
import json
import struct
import sys


def main(src, out):
    raw = open(src, "rb").read()
    offset, pieces = 4, []
    while offset < len(raw):
        score, n = struct.unpack_from("<fi", raw, offset)
        piece = raw[offset + 8:offset + 8 + n].decode("utf-8")
        offset += 8 + n
        # llama2.c writes "▁" as a space and wraps BOS/EOS in newlines.
        pieces.append((piece.strip() if piece.strip() in ("<s>", "</s>") else piece.replace(" ", "\u2581"), score))
    vocab = {p: i for i, (p, _) in enumerate(pieces)}
    merges = []
    for merged, (piece, score) in enumerate(pieces):
        if piece.startswith("<") and piece.endswith(">"):
            continue  # <unk>, <s>, </s>, <0xNN>
        for cut in range(1, len(piece)):
            a, b = piece[:cut], piece[cut:]
            if a in vocab and b in vocab:
                merges.append((-score, merged, vocab[a], vocab[b], a, b))
    merges.sort()
    special = lambda i, t: {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                            "normalized": False, "special": True}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [[a, b] for *_, a, b in merges]},
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    print(f"{out}: {len(vocab)} pieces, {len(merges)} merges")


if __name__ == "__main__":
    main(*sys.argv[1:])

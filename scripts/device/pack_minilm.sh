#!/usr/bin/env bash
# Packs the fetched all-MiniLM-L6-v2 small enough to travel to the GPU machine with the device
# tool (whose working tree, carried folders included, must stay under 64 MiB), for the real-model
# case of tests/core/tst_gpu.cpp:
#
#   bash scripts/device/pack_minilm.sh [--no-prune] [--folder] [--qasper DIR] [--dest DIR]
#
#   --qasper DIR  also keep the rows of every token id of every text in DIR's QASPER JSON files
#                 (every string value, tokenized whole): the pruned model then embeds every QASPER
#                 paragraph and question exactly as the unpruned float16 one (scripts/gpu/pack_paper.sh)
#   --dest DIR    where the archive or folder goes (default <repo>/.devmodels)
#
# Makes <repo>/.devmodels/all-MiniLM-L6-v2.tar.xz (default) or the folder
# <repo>/.devmodels/all-MiniLM-L6-v2 (--folder), a model-cache folder like the one
# scripts/fetch-models.sh writes, with:
#   - model.safetensors converted to float16 (90 MB -> 45 MB);
#   - unless --no-prune: the rows of embeddings.word_embeddings.weight of token ids that never occur
#     in the golden texts (tests/data/real-models/texts.json, tokenized whole by the model's
#     tokenizer.json, plus minilm/tokens.json; ids below 1000, the special and unused tokens, are
#     kept too) set to zero. The model's shapes, tokenizer and config
#     are unchanged, so every golden text embeds exactly as with the full table, and the zeros make
#     the xz archive about half the size;
#   - every other file copied; SOURCE.json gains a "derived" entry saying what was changed;
#     SHA256SUMS regenerated over the new files (SOURCE.json included, as in the cache).
# scripts/device/gpu_check.sh unpacks it under $XDG_CACHE_HOME/uae-workbench/models/, where
# uae::findFetchedModel finds it. float16 weights move the float32 embeddings off the
# sentence-transformers goldens by a little (tst_gpu reports it and compares CUDA against the CPU
# float32 embeddings of the same weights for the strict check).
#
# Environment: UAE_VENV (default ${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv: its python
# with torch and safetensors), UAE_MINILM_DIR (default: the model cache's all-MiniLM-L6-v2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench"
venv="${UAE_VENV:-$cache/venv}"
src="${UAE_MINILM_DIR:-$cache/models/all-MiniLM-L6-v2}"
prune=1
folder=0
qasper=""
dest="$root/.devmodels"
while (($#)); do
    case "$1" in
    --no-prune) prune=0 ;;
    --folder) folder=1 ;;
    --qasper) qasper=$(realpath "${2:?--qasper needs a folder}"); shift ;;
    --dest) dest=$(realpath -m "${2:?--dest needs a folder}"); shift ;;
    *) echo "usage: $0 [--no-prune] [--folder] [--qasper DIR] [--dest DIR]" >&2; exit 2 ;;
    esac
    shift
done
py="$venv/bin/python"
[[ -x "$py" ]] || { echo "pack_minilm: no python at $py (set UAE_VENV)" >&2; exit 1; }
[[ -f "$src/model.safetensors" && -f "$src/SOURCE.json" ]] \
    || { echo "pack_minilm: $src has no model.safetensors/SOURCE.json (run scripts/fetch-models.sh)" >&2; exit 1; }
tokens="$root/tests/data/real-models/minilm/tokens.json"
[[ $prune == 0 || -f "$tokens" ]] || { echo "pack_minilm: $tokens missing (needed to prune; or --no-prune)" >&2; exit 1; }

exclude=$(git -C "$root" rev-parse --path-format=absolute --git-path info/exclude) # shared by worktrees
mkdir -p "$(dirname "$exclude")"
touch "$exclude"
grep -qxF /.devmodels/ "$exclude" || echo /.devmodels/ >>"$exclude"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
out="$stage/all-MiniLM-L6-v2"
mkdir -p "$out"
# Everything but the weights and the sums, as it is (1_Pooling/, tokenizer, configs, README).
(cd "$src" && tar -cf - --exclude=./model.safetensors --exclude=./SHA256SUMS .) | tar -C "$out" -xf -

"$py" - "$src/model.safetensors" "$out/model.safetensors" "$out/SOURCE.json" "$prune" "$tokens" \
    "$root/tests/data/real-models/texts.json" "$src/tokenizer.json" "$qasper" <<'PY'
import glob, json, os, sys
import torch
from safetensors import safe_open
from safetensors.torch import save_file

src, dst, source_json, prune, tokens_path, texts_path, tokenizer_path, qasper = sys.argv[1:9]
prune = prune == "1"
tensors, meta = {}, None
with safe_open(src, "pt") as f:
    meta = f.metadata()
    for k in f.keys():
        t = f.get_tensor(k)
        tensors[k] = t.to(torch.float16).contiguous() if t.is_floating_point() else t.contiguous()
kept = None
name = next(k for k in tensors if k.endswith("word_embeddings.weight"))
if prune:
    # The goldens' token ids are cut at 128; the encoder reads up to 256 (max_seq_length), so the
    # texts are tokenized again here, whole, with the model's own tokenizer.json.
    ids = {i for row in json.load(open(tokens_path))["ids"] for i in row}
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer_path)
    tok.no_truncation()
    for item in json.load(open(texts_path)):
        ids.update(tok.encode(item["text"]).ids)
    if qasper:
        def strings(v):
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict):
                for k, x in v.items():
                    yield k
                    yield from strings(x)
            elif isinstance(v, list):
                for x in v:
                    yield from strings(x)
        for path in sorted(glob.glob(os.path.join(qasper, "*.json"))):
            texts = [t for t in strings(json.load(open(path))) if t]
            for enc in tok.encode_batch(texts):
                ids.update(enc.ids)
    ids |= set(range(1000))
    emb = tensors[name]
    mask = torch.zeros(emb.shape[0], dtype=torch.bool)
    mask[sorted(i for i in ids if i < emb.shape[0])] = True
    emb[~mask] = 0
    kept = int(mask.sum())
save_file(tensors, dst, metadata=meta)
src_info = json.load(open(source_json))
src_info["derived"] = {
    "by": "scripts/device/pack_minilm.sh",
    "weights": "float16 (converted from the float32 model.safetensors)",
    "word_embeddings": (f"{name}: only {kept} rows kept (ids of tests/data/real-models/texts.json, "
                        + (f"of every text of the QASPER files in {os.path.basename(qasper)}, " if qasper else "")
                        + "whole, and ids < 1000); all other rows zero" if prune else "unchanged"),
    "purpose": ("travels to the GPU machine for scripts/gpu/paper.sh (exact for QASPER texts); not for other texts"
                if qasper else "travels to the GPU machine for tests/core/tst_gpu.cpp; not for real use"),
}
json.dump(src_info, open(source_json, "w"), indent=2)
n = sum(t.numel() for t in tensors.values())
print(f"pack_minilm: {len(tensors)} tensors, {n} parameters as float16"
      + (f"; {kept} of {tensors[name].shape[0]} word-embedding rows kept" if prune else ""))
PY

(cd "$out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum >SHA256SUMS)
rm -rf "$dest/all-MiniLM-L6-v2" "$dest/all-MiniLM-L6-v2.tar.xz"
mkdir -p "$dest"
if [[ $folder == 1 ]]; then
    cp -a "$out" "$dest/"
    result="$dest/all-MiniLM-L6-v2"
else
    tar -C "$stage" -cf - all-MiniLM-L6-v2 | xz -9 -T2 >"$dest/all-MiniLM-L6-v2.tar.xz"
    result="$dest/all-MiniLM-L6-v2.tar.xz"
fi
echo "pack_minilm: wrote $result ($(du -sh "$result" | cut -f1); unpacked $(du -sh "$out" | cut -f1))"
[[ $dest == "$root/.devmodels" ]] || exit 0 # the caller prints its own total
total=$(du -sb "$root/.devmodels" | cut -f1)
deps=0
[[ -d "$root/.devdeps" ]] && deps=$(du -sb "$root/.devdeps" | cut -f1)
tree=$(cd "$root" && git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
printf 'pack_minilm: carried in all: working tree %.1f MiB + .devdeps %.1f MiB + .devmodels %.1f MiB = %.1f MiB (limit 64 MiB)\n' \
    "$(echo "$tree / 1048576" | bc -l)" "$(echo "$deps / 1048576" | bc -l)" "$(echo "$total / 1048576" | bc -l)" \
    "$(echo "($tree + $deps + $total) / 1048576" | bc -l)"

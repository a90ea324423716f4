#!/usr/bin/env bash
# Real models side by side with the reference libraries, in one run on the same threads:
# MiniLM (or BGE-small when fetched) encoding throughput against sentence-transformers, the
# bi-encoder query latency, and SmolLM2 teacher-forced tokens/s against transformers eager.
# Needs scripts/fetch-models.sh and scripts/reference/venv.sh (the reference venv, torch 2.x).
# Results: bench/results/real_models_<tag>.json ($UAE_BENCH_TAG, default cpu<cores>).
# usage: bench/run_real_models_bench.sh [BERT_MODEL=all-MiniLM-L6-v2] [THREADS=2] [PASSAGES=256]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bert=${1:-all-MiniLM-L6-v2}; threads=${2:-2}; passages=${3:-256}
models="${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/models"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv"
work=$root/build/bench; mkdir -p "$work" "$root/bench/results"
"$root/scripts/fetch-models.sh" >/dev/null
"$root/scripts/reference/venv.sh" >/dev/null
cmake --build "$root/build" --target bench_real_models -j"$(nproc)" >/dev/null
gguf=$(ls "$models"/SmolLM2-135M-Instruct/*.gguf)
cpp=$(OMP_NUM_THREADS=$threads "$root/build/bench/bench_real_models" "$bert" SmolLM2-135M-Instruct \
  "$root/datasets/qasper" "$threads" "$work/real" "$passages")
py=$(OMP_NUM_THREADS=$threads HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error \
  "$venv/bin/python" "$root/bench/real_models_eager.py" "$models/$bert" "$gguf" "$work/real" "$threads")
out="$root/bench/results/real_models_${UAE_BENCH_TAG:-cpu$(nproc)}.json"
python3 - "$cpp" "$py" "$out" <<'PY'
import json, sys
cpp, py, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
r = {"workbench": cpp, "reference": py,
     "encode_ratio_vs_sentence_transformers": cpp["encode"]["pps"] / py["sentence_transformers"]["pps"],
     "teacher_forced_ratio_vs_transformers_eager": cpp["teacher_forced"]["tps"] / py["transformers_eager"]["tps"],
     "mean_nll_difference": abs(cpp["teacher_forced"]["mean_nll"] - py["transformers_eager"]["mean_nll"])}
json.dump(r, open(out, "w"), indent=1)
print(json.dumps(r, indent=1))
PY

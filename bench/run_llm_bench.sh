#!/usr/bin/env bash
# LLM re-ranker vs bi-encoder query latency, and teacher-forced tokens/s against PyTorch eager,
# on a random Qwen2-0.5B-shaped model and a random BERT-base, in one run on the same threads.
# Results: bench/results/llm_cpu<cores>.json (or $UAE_BENCH_TAG).
# usage: bench/run_llm_bench.sh [QUESTIONS=3] [RERANK_K=5] [THREADS=2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
q=${1:-3}; k=${2:-5}; threads=${3:-2}
work=$root/build/bench; mkdir -p "$work" "$root/bench/results"
shared=$root/../shared/models
[ -f "$work/llm-0.5b-random/model.safetensors" ] || /usr/bin/python3 "$root/bench/make_llm_random.py" "$shared/gpt2-tokenizer" "$work/llm-0.5b-random"
[ -f "$work/bert-base-random/model.safetensors" ] || /usr/bin/python3 "$root/bench/make_bert_base.py" "$shared/bert-base-uncased-vocab" "$work/bert-base-random"
cmake --build "$root/build" --target bench_llm -j"$(nproc)" >/dev/null
cpp=$("$root/build/bench/bench_llm" "$work/llm-0.5b-random" "$work/bert-base-random" "$root/datasets/qasper" "$q" "$k" "$threads" "$work/llm")
py=$(MALLOC_MMAP_THRESHOLD_=536870912 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=$threads \
  /usr/bin/python3 "$root/bench/llm_eager.py" "$work/llm-0.5b-random" "$work/llm.ids.jsonl" "$threads")
out="$root/bench/results/llm_${UAE_BENCH_TAG:-cpu$(nproc)}.json"
/usr/bin/python3 - "$cpp" "$py" "$out" <<'PY'
import json, sys
cpp, py, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
r = {"workbench": cpp, "pytorch_eager_teacher_forced": py,
     "rerank_vs_biencoder_latency": cpp["llm_rerank_query_ms"] / cpp["biencoder_query_ms"],
     "teacher_forced_ratio_vs_eager": cpp["teacher_forced_tps"] / py["tps"],
     "mean_nll_difference": abs(cpp["mean_nll"] - py["mean_nll"])}
json.dump(r, open(out, "w"), indent=1)
print(json.dumps(r, indent=1))
PY

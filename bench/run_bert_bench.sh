#!/usr/bin/env bash
# BERT-base encoding speed: the workbench (LibTorch, C++) against PyTorch eager (Debian's
# python3-torch) on the same random BERT-base checkpoint, the same QASPER paragraphs and token
# ids, the same thread count, in one run. Results: bench/results/bert_encode_cpu<cores>.json (or $UAE_BENCH_TAG).
# usage: bench/run_bert_bench.sh [N=48] [THREADS=2] [BATCH=16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-48}; threads=${2:-2}; batch=${3:-16}
work=$root/build/bench; mkdir -p "$work" "$root/bench/results"
model=$work/bert-base-random
vocab=${UAE_BERT_VOCAB:-$root/../shared/models/bert-base-uncased-vocab}
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$root/bench/make_bert_base.py" "$vocab" "$model"
cmake --build "$root/build" --target bench_bert_encode -j"$(nproc)" >/dev/null
cpp=$("$root/build/bench/bench_bert_encode" "$model" "$root/datasets/qasper" "$n" "$threads" "$batch" "$work/sample")
py=$(OMP_NUM_THREADS=$threads /usr/bin/python3 "$root/bench/bert_eager.py" "$model" "$work/sample.ids.jsonl" "$threads" "$batch")
# The same with the allocator settings the workbench applies (uae::configureThreads), to separate
# that effect from the rest.
py_tuned=$(MALLOC_MMAP_THRESHOLD_=536870912 MALLOC_TRIM_THRESHOLD_=1073741824 OMP_NUM_THREADS=$threads \
  /usr/bin/python3 "$root/bench/bert_eager.py" "$model" "$work/sample.ids.jsonl" "$threads" "$batch")
diff=$(/usr/bin/python3 - "$work/sample" <<'PY'
import sys, numpy as np
p = sys.argv[1]
a = np.fromfile(p + ".cpp.f32", dtype="<f4").reshape(-1, 768)
b = np.load(p + ".ids.jsonl.eager.npy")
print(float(np.abs(a - b).max()))
PY
)
out="$root/bench/results/bert_encode_${UAE_BENCH_TAG:-cpu$(nproc)}.json"
/usr/bin/python3 - "$cpp" "$py" "$py_tuned" "$diff" "$out" <<'PY'
import json, sys
cpp, py, tuned = (json.loads(a) for a in sys.argv[1:4])
diff, out = float(sys.argv[4]), sys.argv[5]
r = {"workbench": cpp, "pytorch_eager": py, "pytorch_eager_glibc_tuned": tuned, "max_abs_diff_embeddings": diff,
     "ratio_vs_eager_input_order": cpp["pps"] / py["input_order_pps"],
     "ratio_vs_eager_length_sorted": cpp["pps"] / py["sorted_pps"],
     "ratio_vs_tuned_eager_input_order": cpp["pps"] / tuned["input_order_pps"],
     "ratio_vs_tuned_eager_length_sorted": cpp["pps"] / tuned["sorted_pps"]}
json.dump(r, open(out, "w"), indent=1)
print(json.dumps(r, indent=1))
PY

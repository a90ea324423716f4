#!/usr/bin/env bash
# The stored-index scale benchmark (issue 15 item 4): >= 1,000,000 QASPER passages (dev + train
# sentences, then windows of 2, 3, ... sentences of a paper) encoded with GloVe, searched with the splits'
# questions; build time, memory, queries/s at batch 1 and 64, recall@10 against exact search for
# Flat, HNSW32 (efSearch sweep), IVF,Flat and IVF,PQ50 (nprobe sweeps) at 10k, 100k and 1M.
# One run writes bench/results/vector_index_cpu2.{jsonl,md,png}. Niced: it takes a while on 2 cores.
#   bench/run_index_bench.sh [QASPER_DIR] [GLOVE_DIR] [PYTHON_WITH_MATPLOTLIB]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/datasets/qasper}
glove=${2:-$root/models/glove-6B-100d-top50k}
python=${3:-python3}
out=$root/bench/results
mkdir -p "$out"
cmake --build "$root/build" --target bench_vector_index -j2 >/dev/null
OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE nice -n 10 "$root/build/bench/bench_vector_index" --data "$data" \
    --glove "$glove" --vectors "$root/build/bench/qasper-1m-glove.vectors" --passages 1000000 --queries 1000 \
    --sizes 10000,100000,1000000 | tee "$out/vector_index_cpu2.jsonl"
"$python" "$root/bench/plot_index_bench.py" "$out/vector_index_cpu2.jsonl" "$out/vector_index_cpu2.md" \
    "$out/vector_index_cpu2.png"

#!/usr/bin/env bash
# The embedding map at 1,000,000 points (issue 14 item 3): PCA of 1M clustered 384-d vectors, then
# frame times of the map canvas panning and zooming over them offscreen at 1440x900, and the real
# GloVe map of QASPER dev (encode + PCA). Results: bench/results/embedding_map_cpu2.json.
#   bench/run_map_bench.sh [QASPER_DIR] [GLOVE_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/datasets/qasper}
glove=${2:-$root/models/glove-6B-100d-top50k}
mkdir -p "$root/bench/results"
cmake --build "$root/build" --target bench_embedding_map -j"$(nproc)" >/dev/null
QT_QPA_PLATFORM=offscreen "$root/build/bench/bench_embedding_map" --points 1000000 --dim 384 \
    --data "$data" --glove "$glove" --split dev | tee "$root/bench/results/embedding_map_cpu2.json"

#!/usr/bin/env bash
# Inspector question-switch time with four methods side by side (issue 14; goal: median < 50 ms).
# Needs a workspace holding finished eval runs of the split, e.g. a copy of the paper preset's
# workspace (BM25, MiniLM, UAE-MiniLM, LLM re-ranking on dev):
#   bench/run_inspector_switch_bench.sh COPY.db run:8,run:10,run:13,run:14 [QASPER_DIR] [SPLIT]
# Runs under Xvfb when there is no display; QSettings go to a temporary folder.
# Result: bench/results/inspector_switch_cpu2.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ws=${1:?workspace}; methods=${2:?methods, e.g. run:8,run:10,run:13,run:14}
data=${3:-${UAE_QASPER_DIR:-$root/datasets/qasper}}; split=${4:-dev}
cmake --build "$root/build" --target bench_inspector_switch -j"$(nproc)" >/dev/null
cfg=$(mktemp -d); trap 'rm -rf "$cfg"' EXIT
probe=(env XDG_CONFIG_HOME="$cfg" "$root/build/bench/bench_inspector_switch" "$ws" "$data" "" "$split" "$methods" 3)
if [ -n "${DISPLAY:-}" ]; then out=$("${probe[@]}" 2>/dev/null); else out=$(xvfb-run -a -s "-screen 0 1440x900x24" "${probe[@]}" 2>/dev/null); fi
mkdir -p "$root/bench/results"
echo "$out" | tee "$root/bench/results/inspector_switch_cpu2.json"

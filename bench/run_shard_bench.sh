#!/usr/bin/env bash
# Labeling throughput with shards (issue 16, item 5): the same labeling run as 1 process and as
# N shards running at once on this machine (each into its own workspace), wall time of each
# including data loading, then merged and checked against the single run.
# usage: bench/run_shard_bench.sh UAE SPLIT SHARDS [uae label options...]
#   e.g. bench/run_shard_bench.sh build/app/uae train 2 --scorer dirichlet
#        bench/run_shard_bench.sh build/app/uae train 2 --scorer lm --model SmolLM2-135M-Instruct \
#          --prompt chat --top-k 20 --limit 8
set -euo pipefail
uae=$(realpath "$1"); split=$2; shards=$3; shift 3
data=${UAE_QASPER_DIR:-$(dirname "$0")/../../shared/datasets/qasper}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# CPU seconds (user + sys) beside the wall time: on a shared machine the wall time depends on the
# other load, the CPU time a process needs does not (much).
label() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$out.time" "$uae" label --quiet --split "$split" --data "$data" "$@" > "$out"
}
now() { date +%s.%N; }
t0=$(now)
label "$work/single.out" "$@" --threads "$shards" --workspace "$work/single.db"
t1=$(now)
pids=()
for ((i = 0; i < shards; i++)); do
  label "$work/shard-$i.out" "$@" --threads 1 --shard "$i/$shards" --workspace "$work/shard-$i.db" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
t2=$(now)
"$uae" merge --into "$work/merged.db" "$work"/shard-*.db > /dev/null
python3 - "$work/single.db" "$work/merged.db" <<'PY'
import sqlite3, sys
q = "SELECT question, paragraph, scorer, prompt_version, utility, nll_with, nll_without FROM labels"
a, b = (sorted(sqlite3.connect(p).execute(q).fetchall()) for p in sys.argv[1:3])
assert a == b, "merged labels differ from the single run's"
print(f"merged == single: {len(a)} labels")
PY
for f in single $(seq -f "shard-%g" 0 $((shards - 1))); do
  read -r wall user sys < "$work/$f.out.time"
  echo "$f: $(grep -h "labeled now\|per question" "$work/$f.out" | sed 's/^ *//' | paste -sd";"); wall $wall s, CPU $(echo "$user + $sys" | bc) s"
done
python3 -c "import sys; a, b = float(sys.argv[2]) - float(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); \
print(f'wall: 1 process {a:.1f} s, {sys.argv[4]} shards at once {b:.1f} s, speed-up {a / b:.2f}x')" "$t0" "$t1" "$t2" "$shards"

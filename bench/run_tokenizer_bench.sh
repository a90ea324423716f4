#!/usr/bin/env bash
# Tokenizer encode time per input size (bench_tokenizers), and, given the JSON of an earlier build
# (e.g. before the O(n log n) merges), the speed-up per case and whether the ids are identical.
# Results: bench/results/tokenizers_cpu<cores>.json (or $UAE_BENCH_TAG).
# usage: bench/run_tokenizer_bench.sh [BEFORE_JSON] [CAP_SECONDS=20]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-}; cap=${2:-20}
shared=$root/../shared
gguf=${UAE_GGUF:-$HOME/.cache/uae-workbench/models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf}
cmake --build "$root/build" --target bench_tokenizers -j"$(nproc)" >/dev/null
now=$root/build/bench/tokenizers_now.json
"$root/build/bench/bench_tokenizers" "$shared/models" "$shared/datasets/qasper/qasper-dev-v0.3-part-01-of-03.json" \
  "$root/tests/data" "$gguf" "$cap" >"$now"
out="$root/bench/results/tokenizers_${UAE_BENCH_TAG:-cpu$(nproc)}.json"
python3 - "$out" "$now" "$before" <<'PY'
import json, sys
out, now_path, before_path = sys.argv[1:4]
now = json.load(open(now_path))
before = {(r["tokenizer"], r["input"]): r for r in json.load(open(before_path))} if before_path else {}
rows = []
for r in now:
    row = {"tokenizer": r["tokenizer"], "input": r["input"], "bytes": r["bytes"], "seconds": r.get("seconds"),
           "tokens": r.get("tokens")}
    b = before.get((r["tokenizer"], r["input"]))
    if b:
        row["before_seconds"] = b.get("seconds")
        if b.get("seconds") and r.get("seconds"):
            row["speedup"] = round(b["seconds"] / r["seconds"], 2)
            row["identical_ids"] = b["hash"] == r["hash"]
        elif b.get("skipped_estimate_s") and r.get("seconds"):
            row["before_estimate_s"] = round(b["skipped_estimate_s"], 1)
            row["speedup_vs_estimate"] = round(b["skipped_estimate_s"] / r["seconds"], 1)
    rows.append(row)
json.dump(rows, open(out, "w"), indent=1)
for row in rows:
    print(json.dumps(row))
bad = [r for r in rows if r.get("identical_ids") is False]
sys.exit(1 if bad else 0)
PY

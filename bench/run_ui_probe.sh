#!/usr/bin/env bash
# UI probe on real data: a workspace with 5 stored runs on QASPER dev (BM25, GloVe twice, UAE-GloVe
# training + its eval), then bench_ui_probe opens it (time to first paint, time until the first
# question's rankings show) and labels + trains from the dashboard while measuring the worst
# event-loop stall. Runs under Xvfb when there is no display. Results: bench/results/ui_probe.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/build/bench/ui; rm -rf "$work"; mkdir -p "$work" "$root/bench/results"
uae=$root/build/app/uae; ws=$work/ws.db
cmake --build "$root/build" --target bench_ui_probe -j"$(nproc)" >/dev/null
for m in bm25 glove glove; do "$uae" eval --method "$m" --split dev --workspace "$ws" --quiet >/dev/null; done
"$uae" label --split train --workspace "$ws" --quiet >/dev/null
"$uae" train --epochs 3 --workspace "$ws" --quiet >/dev/null
"$uae" eval --method uae --run 5 --split dev --workspace "$ws" --quiet >/dev/null
# A fresh workspace copy for the probe's own label + train job: labels must be computed again.
cp "$ws" "$work/probe.db"
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM labels'); c.execute('DELETE FROM labeled_questions'); c.commit()" "$work/probe.db"
probe=("$root/build/bench/bench_ui_probe" "$work/probe.db" "$root/datasets/qasper" "$root/models/glove-6B-100d-top50k" dev train 15)
if [ -n "${DISPLAY:-}" ]; then out=$("${probe[@]}"); else out=$(xvfb-run -a -s "-screen 0 1440x900x24" "${probe[@]}"); fi
echo "$out" | tee "$root/bench/results/ui_probe.json"

#!/usr/bin/env bash
# uae train killed with SIGKILL mid-epoch, then --resume: same final metrics and model as an
# uninterrupted run with the same seed, same metric history.
set -euo pipefail
uae=$1; src=$2
data=$src/../shared/datasets/qasper; glove=$src/../shared/models/glove-6B-100d-top50k
[ -d "$data" ] && [ -d "$glove" ] || { echo "shared QASPER/GloVe not present"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/clean" "$work/killed"
for ws in clean killed; do "$uae" label --split train --data "$data" --quiet --workspace "$work/$ws/ws.db" >/dev/null 2>&1; done
train() { "$uae" train --epochs 3 --data "$data" --model "$glove" --quiet --workspace "$@"; }
train "$work/clean/ws.db" >/dev/null 2>&1
set +e
UAE_FAULT_KILL_AFTER_STEPS=100 train "$work/killed/ws.db" >/dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || { echo "expected the trainer to die by SIGKILL (137), got $rc"; exit 1; }
run=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT max(id) FROM runs WHERE kind='train'\").fetchone()[0])" "$work/killed/ws.db")
"$uae" train --resume "$run" --data "$data" --quiet --workspace "$work/killed/ws.db" >/dev/null 2>&1
python3 - "$work/clean" "$work/killed" "$run" <<'PY'
import json, sqlite3, struct, sys, array
def read(folder, run):
    db = sqlite3.connect(folder + "/ws.db")
    status = db.execute("SELECT status FROM runs WHERE id=?", (run,)).fetchone()[0]
    metrics = db.execute("SELECT step, name, value FROM metrics WHERE run=? ORDER BY step, name", (run,)).fetchall()
    raw = open(f"{folder}/ws.files/checkpoints/run-{run}.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n])
    a, b = h["query_projection"]["data_offsets"]
    q = array.array("f", raw[8 + n + a:8 + n + b])
    return status, metrics, q
clean_run = int(sqlite3.connect(sys.argv[1] + "/ws.db").execute("SELECT max(id) FROM runs WHERE kind='train'").fetchone()[0])
s1, m1, q1 = read(sys.argv[1], clean_run)
s2, m2, q2 = read(sys.argv[2], int(sys.argv[3]))
assert s1 == s2 == "finished", (s1, s2)
assert [(s, n) for s, n, _ in m1] == [(s, n) for s, n, _ in m2], "metric histories differ"
final = lambda m, name: [v for s, n, v in m if n == name][-1]
for name in ("eval_map", "eval_recall@1", "loss"):
    assert abs(final(m1, name) - final(m2, name)) < 1e-6, (name, final(m1, name), final(m2, name))
assert max(abs(x - y) for x, y in zip(q1, q2)) < 1e-6, "checkpoints differ"
print(f"resume ok: eval_map {final(m2, 'eval_map'):.4f}, {len(m2)} metric points, run {sys.argv[3]}")
PY

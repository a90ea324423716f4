#!/usr/bin/env bash
# UAE-BERT with the query tower only (the CPU default), killed with SIGKILL mid-epoch and resumed:
# the same metric history, final metrics and query-tower weights as an uninterrupted run, and the
# checkpoint still names the frozen base as its passage tower.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
data=$src/tests/data/qasper; bert=$src/tests/data/bert-tiny
mkdir -p "$work/clean" "$work/killed"
for ws in clean killed; do "$uae" label --split fixture --data "$data" --quiet --workspace "$work/$ws/ws.db" >/dev/null; done
train() {
  "$uae" train --encoder bert --model "$bert" --towers query --device cpu --split fixture --eval-split fixture \
    --epochs 3 --batch 2 --lr 1e-3 --max-tokens 64 --data "$data" --quiet --workspace "$@"
}
train "$work/clean/ws.db" >/dev/null
set +e
UAE_FAULT_KILL_AFTER_STEPS=5 train "$work/killed/ws.db" >/dev/null 2>&1 # 3 steps an epoch: inside epoch 2
rc=$?
set -e
[ $rc -eq 137 ] || { echo "expected the trainer to die by SIGKILL (137), got $rc"; exit 1; }
"$uae" train --resume 2 --data "$data" --quiet --workspace "$work/killed/ws.db" >/dev/null
python3 - "$work/clean" "$work/killed" <<'PY'
import array, json, sqlite3, struct, sys
def read(folder):
    db = sqlite3.connect(folder + "/ws.db")
    status, config = db.execute("SELECT status, config FROM runs WHERE id=2").fetchone()
    metrics = db.execute("SELECT step, name, value FROM metrics WHERE run=2 ORDER BY step, name").fetchall()
    root = folder + "/ws.files/checkpoints/run-2/"
    latest = root + open(root + "latest").read().strip()
    raw = open(latest + "/model.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n])
    a, b = h["encoder.layer.1.output.dense.weight"]["data_offsets"]
    towers = json.load(open(latest + "/uae_towers.json"))
    return status, json.loads(config), metrics, array.array("f", raw[8 + n + a:8 + n + b]), towers
s1, c1, m1, w1, t1 = read(sys.argv[1])
s2, c2, m2, w2, t2 = read(sys.argv[2])
assert s1 == s2 == "finished", (s1, s2)
assert c1["towers"] == c2["towers"] == "query", (c1["towers"], c2["towers"])
assert t1["towers"] == t2["towers"] == "query" and t2["passage_model"].endswith("bert-tiny"), t2
assert [(s, n) for s, n, _ in m1] == [(s, n) for s, n, _ in m2], "metric histories differ"
final = lambda m, name: [v for s, n, v in m if n == name][-1]
for name in ("eval_map", "eval_recall@1", "loss"):
    assert abs(final(m1, name) - final(m2, name)) < 1e-6, (name, final(m1, name), final(m2, name))
assert max(abs(x - y) for x, y in zip(w1, w2)) < 1e-5, "query towers differ"
print(f"query-tower resume ok: eval_map {final(m2, 'eval_map'):.4f}, {len(m2)} metric points")
PY

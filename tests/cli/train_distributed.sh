#!/usr/bin/env bash
# uae train --distributed: 2 ranks over loopback (Gloo) end with the weights of a 1-process run of
# the same global batch (gathered in-batch negatives), within 1e-5; rank 1 killed mid-run makes
# rank 0 fail with an error (not hang), and both relaunched with --resume finish with those weights.
set -euo pipefail
uae=$1; src=$2
data=$src/../shared/datasets/qasper; glove=$src/../shared/models/glove-6B-100d-top50k
[ -d "$data" ] && [ -d "$glove" ] || { echo "shared QASPER/GloVe not present"; exit 77; }
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
common=(--split dev --eval-split dev --eval-limit 40 --epochs 2 --batch 16 --data "$data" --model "$glove" --quiet)
"$uae" label --split dev --data "$data" --quiet --workspace "$work/one.db" >/dev/null 2>&1
for ws in two killed; do cp "$work/one.db" "$work/$ws.db"; done
"$uae" train "${common[@]}" --workspace "$work/one.db" >/dev/null 2>&1
source "$(dirname "$0")/dist_ranks.sh"
ranks "$work/two.db" clean -1
expect_rc clean 0 0; expect_rc clean 1 0
# Rank 1 dies by SIGKILL after step 90 (dev: 60 steps an epoch, so after the first checkpoint): rank 0 must stop with an error, well before
# --dist-timeout would let it wait.
start=$SECONDS; ranks "$work/killed.db" killed 90
expect_rc killed 1 137; expect_rc killed 0 1
[ $((SECONDS - start)) -lt 50 ] || { echo "rank 0 took $((SECONDS - start)) s to notice rank 1's death"; exit 1; }
grep "uae train: " "$work/killed.out0" || { echo "rank 0 gave no error:"; cat "$work/killed.out0"; exit 1; }
run=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT max(id) FROM runs WHERE kind='train'\").fetchone()[0])" "$work/killed.db")
ranks "$work/killed.db" resumed -1 --resume "$run"
expect_rc resumed 0 0; expect_rc resumed 1 0
python3 - "$work" "$run" <<'PY'
import array, json, sqlite3, struct, sys
work, resumed = sys.argv[1], int(sys.argv[2])
def last_run(db):
    return sqlite3.connect(db).execute("SELECT max(id) FROM runs WHERE kind='train'").fetchone()[0]
def read(name, run):
    db = sqlite3.connect(f"{work}/{name}.db")
    status = db.execute("SELECT status FROM runs WHERE id=?", (run,)).fetchone()[0]
    loss = db.execute("SELECT step, value FROM metrics WHERE run=? AND name='loss' ORDER BY step", (run,)).fetchall()
    raw = open(f"{work}/{name}.files/checkpoints/run-{run}.safetensors", "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n])
    w = {}
    for t in ("query_projection", "passage_projection"):
        a, b = h[t]["data_offsets"]
        w[t] = array.array("f", raw[8 + n + a:8 + n + b])
    return status, loss, w
one = read("one", last_run(f"{work}/one.db"))
for name, run in (("two", last_run(f"{work}/two.db")), ("killed", resumed)):
    got = read(name, run)
    assert got[0] == one[0] == "finished", (name, got[0], one[0])
    assert [s for s, _ in got[1]] == [s for s, _ in one[1]], f"{name}: loss logged at other steps"
    dloss = max(abs(x - y) for (_, x), (_, y) in zip(got[1], one[1]))
    assert dloss <= 1e-5, f"{name}: loss differs from the 1-process run by {dloss}"
    for t in one[2]:
        d = max(abs(x - y) for x, y in zip(got[2][t], one[2][t]))
        moved = max(abs(x - y) for x, y in zip(one[2][t], array.array("f", [float(i // 101 % 101 == 0 and i % 101 == 0) for i in range(len(one[2][t]))])))
        assert d <= 1e-5, f"{name}: {t} differs from the 1-process run by {d}"
        assert moved > 1e-3, f"{t} did not train (identity)"
        print(f"{name}: {t} max |diff| {d:.2e} (moved {moved:.3f} from identity), loss max |diff| {dloss:.2e}")
PY

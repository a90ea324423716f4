#!/usr/bin/env bash
# uae train --distributed with UAE-BERT (the tiny BERT fixture): 2 ranks over loopback (Gloo) end
# with the weights of a 1-process run of the same global batch (gathered in-batch negatives), for
# --towers query and --towers both: losses and evaluations within 1e-5, weights within 5e-5 (float
# rounding that AdamW amplifies; see below), but the attention key biases, whose gradient is only
# rounding noise, within steps * lr. Batch 5 over the fixture's 6 groups gives
# uneven shards (2 and 3) and a last batch where rank 0 has no question. Rank 0 alone writes: with
# towers query the frozen tower's embedding cache is a sound file (one header, every record's
# checksum good, no key twice, nothing set aside as .bad), which two ranks appending at once break.
# Towers both also survives a kill: rank 1 SIGKILLed after step 3 (of 6; a checkpoint per epoch of
# 2 steps) makes rank 0 fail with an error, and both ranks resumed end as the uninterrupted run.
set -euo pipefail
uae=$1; src=$2
data=$src/tests/data/qasper; bert=$src/tests/data/bert-tiny
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
common=(--encoder bert --model "$bert" --device cpu --split fixture --eval-split fixture --epochs 3 --batch 5
        --lr 1e-3 --max-tokens 64 --data "$data" --quiet)
source "$(dirname "$0")/dist_ranks.sh"
for towers in query both; do
    mkdir -p "$work/$towers-one" "$work/$towers-two"
    "$uae" label --split fixture --data "$data" --quiet --workspace "$work/$towers-one/ws.db" >/dev/null
    cp "$work/$towers-one/ws.db" "$work/$towers-two/ws.db"
    [ $towers = both ] && mkdir -p "$work/both-killed" && cp "$work/both-one/ws.db" "$work/both-killed/ws.db"
    "$uae" train "${common[@]}" --towers $towers --workspace "$work/$towers-one/ws.db" >/dev/null
    ranks "$work/$towers-two/ws.db" $towers -1 --towers $towers
    for r in 0 1; do expect_rc $towers $r 0; done
done
ranks "$work/both-killed/ws.db" killed 3 --towers both
expect_rc killed 1 137; expect_rc killed 0 1
grep "uae train: " "$work/killed.out0" || { echo "rank 0 gave no error:"; cat "$work/killed.out0"; exit 1; }
run=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT max(id) FROM runs WHERE kind='train'\").fetchone()[0])" "$work/both-killed/ws.db")
# The first epoch's checkpoint is what the resumed ranks start from.
[ -s "$work/both-killed/ws.files/checkpoints/run-$run/latest" ] || { echo "no checkpoint before the kill"; exit 1; }
ranks "$work/both-killed/ws.db" resumed -1 --towers both --resume "$run"
for r in 0 1; do expect_rc resumed $r 0; done
python3 - "$work" "$bert" <<'PY'
import array, glob, json, os, sqlite3, struct, sys
work, bert = sys.argv[1], sys.argv[2]
def tensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    h = json.loads(raw[8:8 + n])
    return {k: array.array("f", raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]])
            for k, v in h.items() if k != "__metadata__"}
def read(folder):
    db = sqlite3.connect(folder + "/ws.db")
    run, status = db.execute("SELECT id, status FROM runs WHERE kind='train' ORDER BY id DESC").fetchone()
    metrics = db.execute("SELECT step, name, value FROM metrics WHERE run=? ORDER BY step, name", (run,)).fetchall()
    root = f"{folder}/ws.files/checkpoints/run-{run}/"
    latest = root + open(root + "latest").read().strip()
    return status, metrics, tensors(latest + "/model.safetensors"), json.load(open(latest + "/uae_towers.json"))
def sound_cache(folder):
    bad = glob.glob(f"{folder}/**/*.bad", recursive=True)
    assert not bad, f"set aside: {bad}"
    files, records = glob.glob(f"{folder}/cache/*.emb"), 0
    assert files, f"{folder}: no embedding cache"
    for f in files:
        raw = open(f, "rb").read()
        assert raw[:8] == b"UAEEMB2\n", f"{f}: bad magic"
        dim = struct.unpack("<i", raw[8:12])[0]
        size = 16 + 4 * dim
        assert (len(raw) - 12) % size == 0, f"{f}: {len(raw) - 12} record bytes, not a multiple of {size}"
        recs = [raw[12 + i * size:12 + (i + 1) * size] for i in range((len(raw) - 12) // size)]
        for r in recs:  # FNV-1a 64 of the key and vector bytes (uae::stableHash)
            h = 1469598103934665603
            for c in r[:-8]:
                h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
            assert struct.unpack("<Q", r[-8:])[0] == h, f"{f}: a record fails its checksum"
        keys = [r[:8] for r in recs]
        assert b"UAEEMB2\n" not in raw[12:], f"{f}: a second header inside the file"
        assert len(set(keys)) == len(keys), f"{f}: {len(keys) - len(set(keys))} records written twice"
        records += len(keys)
    return records
base = tensors(bert + "/model.safetensors")
for towers, other in (("query", "two"), ("both", "two"), ("both", "killed")):
    s1, m1, w1, t1 = read(f"{work}/{towers}-one")
    s2, m2, w2, t2 = read(f"{work}/{towers}-{other}")
    assert s1 == s2 == "finished", (towers, s1, s2)
    assert t1["towers"] == t2["towers"] == towers, (t1, t2)
    assert [(s, n) for s, n, _ in m1] == [(s, n) for s, n, _ in m2], f"{towers}: metric histories differ"
    assert set(w1) == set(w2) == set(base), f"{towers}: tensor names differ"
    diff = {k: max(abs(x - y) for x, y in zip(w1[k], w2[k])) for k in w1}
    # The attention key biases add q.b_k to all of a query's scores alike, which softmax ignores:
    # their gradient is zero in exact arithmetic and rounding noise in floats, which AdamW's
    # normalised step turns into moves of up to lr per step. So they agree only within steps * lr
    # (1 process with 1 thread against 2 threads differs there as much: ~3e-4).
    kb = max(d for k, d in diff.items() if k.endswith("attention.self.key.bias"))
    dw, worst = max((d, k) for k, d in diff.items() if not k.endswith("attention.self.key.bias"))
    steps = max(s for s, n, _ in m1 if n == "loss")
    assert kb <= steps * 1e-3, f"{towers}: key biases differ by {kb:.3e}, more than {steps} steps * lr"
    moved = max(max(abs(x - y) for x, y in zip(w1[k], base[k])) for k in w1)
    dm = max(abs(a[2] - b[2]) for a, b in zip(m1, m2) if a[1] in ("loss", "kl_teacher", "eval_map", "eval_recall@1"))
    assert moved > 1e-3, f"{towers}: weights did not train (moved {moved})"
    # The other weights carry the same rounding noise, damped by their real gradients: up to 1e-5
    # with AVX2 kernels, 2.4e-5 with AVX-512 ones (another summation order in the GEMMs). A wrong
    # reduction (a sum for a mean, a rank's negatives missing) moves them by ~lr per step, 1e-3.
    assert dw <= 5e-5, f"{towers}: 2 ranks differ from 1 process by {dw:.3e} in the weights ({worst})"
    assert dm <= 1e-5, f"{towers}: 2 ranks differ from 1 process by {dm:.3e} in loss/eval metrics"
    extra = ""
    if towers == "query":
        extra = f", cache {sound_cache(f'{work}/query-two')} records sound"
    if other == "killed":  # against the uninterrupted 2-rank run: the same ranks, the same sums
        _, m3, w3, _ = read(f"{work}/both-two")
        dk = max(max(abs(x - y) for x, y in zip(w2[k], w3[k])) for k in w2)
        dkm = max(abs(a[2] - b[2]) for a, b in zip(m2, m3) if a[1] in ("loss", "kl_teacher", "eval_map", "eval_recall@1"))
        assert [(s, n) for s, n, _ in m2] == [(s, n) for s, n, _ in m3], "resumed: metric history differs"
        assert dk <= 1e-6 and dkm <= 1e-6, f"resumed differs from the uninterrupted 2-rank run: {dk:.3e}, {dkm:.3e}"
        extra = f", resumed vs uninterrupted 2 ranks: weights {dk:.2e}, metrics {dkm:.2e}"
    print(f"towers {towers} ({other}): weights max |diff| {dw:.2e} (key biases {kb:.2e}; moved {moved:.3f} from the base), "
          f"metrics max |diff| {dm:.2e}{extra}")
PY

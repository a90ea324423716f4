#!/usr/bin/env bash
# The paper's experiment end to end on the fixture with the real models (uae pipeline --preset
# paper, every size cut to 3 questions): SmolLM2 and Dirichlet labels, three UAE trainings with the
# query tower only, every method ranked and answered, the headline table and its results JSON.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
"$uae" pipeline --preset paper --data "$src/tests/data/qasper" --split fixture --eval-split fixture \
  --limit 3 --top-k 3 --epochs 1 --results "$work/results.json" > "$work/out.txt" 2> "$work/err.txt" ||
  { cat "$work/err.txt" "$work/out.txt"; echo "uae pipeline --preset paper failed"; exit 1; }
grep -q "^| Method | Recall@1 | MAP | Token F1 | ms/query |" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
grep -q "== \[1/" "$work/err.txt" && grep -q "left)" "$work/err.txt" # progress with ETA
python3 - "$work/results.json" "$work/ws.db" <<'PY'
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "finished", r
plan, rows = r["plan"], r["table"]["rows"]
assert plan["train_questions"] == 3 and plan["eval_questions"] == 3 and plan["towers"] == "query", plan
labels = [x["label"] for x in rows]
for want in ("BM25", "LLM re-ranking (SmolLM2)", "Gold-only ablation"):
    assert want in labels, labels
assert sum(l.startswith("UAE-") for l in labels) == 2, labels
assert r["table"]["reference"] in labels
db = sqlite3.connect(sys.argv[2])
status = dict(db.execute("select id, status from runs"))
for x in rows:
    assert status[x["eval_run"]] == "finished" and status[x["answer_run"]] == "finished", x
    assert 1 <= x["questions"] <= 3 and 0 <= x["recall@1"] <= 1 and 0 <= x["token_f1"] <= 1, x
    stored = dict(db.execute("select name, value from metrics where run = ?", (x["eval_run"],)))
    assert abs(stored["recall@1"] - x["recall@1"]) < 1e-9, (stored, x)
for scorer in ("lm", "dirichlet", "lm@fixture"):
    t = r["teachers"][scorer]
    assert "gold_top" in t and "mean_entropy" in t and "spearman_bm25" in t, t
    if "@" not in scorer:
        assert any(k.startswith("spearman_encoder:") for k in t), t
trains = [json.loads(c) for (c,) in db.execute("select config from runs where kind = 'train'")]
assert len(trains) == 3 and all(t["towers"] == "query" for t in trains), trains
assert {t["loss"] for t in trains} == {"soft", "gold"}, trains
print(f"paper pipeline: {len(rows)} rows, {len(r['runs'])} runs, {r['seconds']:.0f} s")
PY

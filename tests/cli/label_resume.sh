#!/usr/bin/env bash
# A labeling run killed with SIGKILL (inside a question's transaction, and once more from
# outside at an arbitrary moment) and restarted ends with exactly the labels of a clean run.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -d "$src/../shared/datasets/qasper" ]; then
  data=$src/../shared/datasets/qasper; split=dev; kill_after=150; outside=1.6
else
  data=$src/tests/data/qasper; split=fixture; kill_after=3; outside=0.3
fi
label() { "$uae" label --scorer dirichlet --split "$split" --data "$data" --quiet --workspace "$@"; }
label "$work/clean.db" > /dev/null
set +e
UAE_FAULT_KILL_AFTER_QUESTIONS=$kill_after label "$work/killed.db" > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 137 ] || { echo "expected the labeler to die by SIGKILL (137), got $rc"; exit 1; }
# A second kill from outside, at whatever point the run has reached.
"$uae" label --scorer dirichlet --split "$split" --data "$data" --quiet --workspace "$work/killed.db" \
  > /dev/null 2>&1 & pid=$!
sleep $outside; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
label "$work/killed.db" > "$work/resume.out"
grep -q "already stored" "$work/resume.out"
python3 - "$work/clean.db" "$work/killed.db" <<'PY'
import sqlite3, sys
def read(path):
    db = sqlite3.connect(path)
    rows = db.execute("SELECT question, paragraph, scorer, prompt_version, utility FROM labels").fetchall()
    done = db.execute("SELECT question, candidates FROM labeled_questions").fetchall()
    statuses = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY id")]
    return rows, done, statuses
clean, clean_done, _ = read(sys.argv[1])
killed, killed_done, statuses = read(sys.argv[2])
assert len(killed) == len(set(killed)), "duplicate labels"
assert set(clean) == set(killed), f"label sets differ: {len(set(clean) ^ set(killed))} rows"
assert sorted(clean_done) == sorted(killed_done), "labeled question sets differ"
assert statuses[0] == "interrupted" and statuses[-1] == "finished", statuses
print(f"resume ok: {len(killed)} labels over {len(killed_done)} questions; runs {statuses}")
PY

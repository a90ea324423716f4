#!/usr/bin/env bash
# End to end through the CLI: eval -> store -> export, then an independent recomputation of
# trec_eval's and the official QASPER evaluator's numbers from the exported files.
# Uses the real dev split when it is reachable, else the hand-written fixture.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
if [ -d "$src/../shared/datasets/qasper" ]; then
  data=$src/../shared/datasets/qasper; split=dev
else
  data=$src/tests/data/qasper; split=fixture
fi
cd "$work"
for method in bm25 glove; do
  if [ "$method" = glove ] && [ ! -d "$src/../shared/models/glove-6B-100d-top50k" ]; then continue; fi
  "$uae" eval --method "$method" --split "$split" --data "$data" --model "$src/../shared/models/glove-6B-100d-top50k" --quiet
  "$uae" export "$method" --split "$split" --trec --qasper --csv --out "$method" --data "$data"
  python3 "$src/scripts/verify_exports.py" "$method"
done
# The corpus setting (issue 15): every paragraph of the split is the pool; the export still scores
# identically with trec_eval's and the official evaluator's arithmetic.
"$uae" eval --method bm25 --pool corpus --split "$split" --data "$data" --quiet
corpus_run=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT max(id) FROM runs WHERE json_extract(config,'$.pool')='corpus'\").fetchone()[0])" "$UAE_WORKSPACE")
"$uae" export "$corpus_run" --trec --qasper --csv --out corpus --data "$data"
python3 "$src/scripts/verify_exports.py" corpus
"$uae" compare 1 bm25 --split "$split" | grep -q "wins"
"$uae" runs | grep -q finished

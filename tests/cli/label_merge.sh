#!/usr/bin/env bash
# uae label --shard I/N and uae merge without a scheduler: three shards merged equal one process's
# labels and merging again changes nothing; a shard of another label configuration is refused
# with nothing merged; a question labelled differently is reported, keeping the workspace's
# labels (exit 3); a missing shard is warned about; bad --shard values and files are refused.
set -euo pipefail
uae=$1; src=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
args=(--scorer dirichlet --split fixture --data "$src/tests/data/qasper" --quiet)
"$uae" label "${args[@]}" --workspace "$work/single.db" > /dev/null
mkdir "$work/shards"
for i in 0 1 2; do
  "$uae" label "${args[@]}" --shard "$i/3" --workspace "$work/shards/shard-$i.db" > /dev/null
done
"$uae" merge --into "$work/merged.db" "$work"/shards/shard-*.db > "$work/merge1.out"
grep -q "questions added" "$work/merge1.out"
# uae runs names where each merged label run was made.
"$uae" runs --workspace "$work/merged.db" > "$work/runs.out"
[ "$(grep -c "merged from $work/shards/shard-[0-2].db" "$work/runs.out")" = 3 ] || { cat "$work/runs.out"; exit 1; }
dump() { python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print("\n".join(
  str(r) for t in ("runs","metrics","labels","labeled_questions") for r in db.execute(f"SELECT * FROM {t}")))' "$1"; }
dump "$work/merged.db" > "$work/before"
"$uae" merge --into "$work/merged.db" "$work"/shards/shard-*.db > "$work/merge2.out"
dump "$work/merged.db" > "$work/after"
cmp -s "$work/before" "$work/after" || { echo "merging twice changed the workspace"; diff "$work/before" "$work/after" | head; exit 1; }
grep -q " 0 questions added" "$work/merge2.out"
python3 "$here/label_compare.py" "$work/single.db" "$work/merged.db" "$work/shards" 3

expect_fail() { # status, text, command...
  local want=$1 text=$2; shift 2
  set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [ $rc -eq "$want" ] || { echo "expected exit $want, got $rc: $*"; cat "$work/err"; exit 1; }
  grep -q -- "$text" "$work/err" || { echo "expected '$text' in:"; cat "$work/err"; exit 1; }
}
# Another label configuration (mu) is refused, naming the files and the setting; nothing merged.
"$uae" label "${args[@]}" --mu 50 --shard 0/3 --workspace "$work/mu50.db" > /dev/null
expect_fail 1 "different label configurations" "$uae" merge --into "$work/fresh.db" "$work/shards/shard-0.db" "$work/mu50.db"
grep -q "mu (100.0 vs 50.0)" "$work/err" || { cat "$work/err"; exit 1; }
python3 -c 'import sqlite3,sys; assert sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM labels").fetchone()[0] == 0' "$work/fresh.db"
# A question labelled differently elsewhere: reported, the workspace keeps its own labels.
"$uae" label "${args[@]}" --shard 1/3 --workspace "$work/tampered.db" > /dev/null
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("UPDATE labels SET utility=utility+1 WHERE rowid=(SELECT min(rowid) FROM labels)"); db.commit()' "$work/tampered.db"
expect_fail 3 "conflict: question .*utilities differ by up to 1" "$uae" merge --into "$work/merged.db" "$work/tampered.db"
python3 - "$work/single.db" "$work/merged.db" <<'PY'
import sqlite3, sys
read = lambda p: sorted(sqlite3.connect(p).execute("SELECT question, paragraph, utility FROM labels").fetchall())
assert read(sys.argv[1]) == read(sys.argv[2]), "a conflicting merge changed the workspace's labels"
PY
# Partial merges warn about the missing shard; bad input is refused with what is wrong.
"$uae" merge --into "$work/partial.db" "$work/shards/shard-0.db" "$work/shards/shard-1.db" > /dev/null 2> "$work/err"
grep -q "shard 2/3 is not among the merged workspaces" "$work/err" || { cat "$work/err"; exit 1; }
expect_fail 1 "no-such.db: no such workspace file" "$uae" merge --into "$work/m.db" "$work/no-such.db"
expect_fail 1 "is this workspace" "$uae" merge --into "$work/merged.db" "$work/merged.db"
expect_fail 1 "holds no label run" "$uae" merge --into "$work/m2.db" "$work/partial.db" "$work/m.db"
expect_fail 2 "--into" "$uae" merge "$work/shards/shard-0.db"
for bad in 3/3 1/0 -1/2 x 1/2/3; do
  expect_fail 2 "--shard" "$uae" label "${args[@]}" --shard "$bad" --workspace "$work/bad.db"
done
echo "label merge ok"

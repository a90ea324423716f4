#!/usr/bin/env bash
# uae import-run through the CLI: BM25 evaluated, exported as TREC and imported again compares with
# zero differences (per-paper and corpus pools; docnos p<N> as `uae export --trec` writes them, and
# <paperId>#<N> as a system indexing `uae export --beir`'s corpus returns them); a malformed file
# fails with FILE:LINE and a nonzero exit, and leaves `uae runs` as it was.
set -uo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
fixture=$src/tests/data/qasper
failures=0
failed() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_fail() { # expect_fail "pattern" cmd...
  local pattern=$1; shift
  local out; out=$("$@" 2>&1); local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF -- "$pattern" <<<"$out"; then failed "'$*' (rc $rc) should fail with '$pattern'; got: $out"; fi
}
newest() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT max(id) FROM runs').fetchone()[0])" "$UAE_WORKSPACE"; }
# `uae compare A B` shows no difference: every B-A is zero, no question wins or loses.
same() {
  local out; out=$("$uae" compare "$1" "$2" --split fixture 2>&1) || { failed "compare $1 $2: $out"; return; }
  local diffs; diffs=$(awk '/^(recall@|mrr|map|ndcg|evidence_f1)/ && NF == 4 && $4 != "+0.0000"' <<<"$out")
  local moved; moved=$(awk '/^(recall@|mrr|map|ndcg|evidence_f1)/ && NF > 4 && ($2 != 0 || $4 != 0)' <<<"$out")
  grep -q "^map " <<<"$out" || failed "compare $1 $2 printed no metrics: $out"
  [ -z "$diffs$moved" ] || failed "compare $1 $2 shows differences:"$'\n'"$out"
}

for pool in paper corpus; do
  "$uae" eval --method bm25 --pool "$pool" --data "$fixture" --split fixture --quiet >/dev/null || failed "eval $pool"
  bm25=$(newest)
  "$uae" export "$bm25" --trec --out "$work/bm25-$pool" --data "$fixture" >/dev/null || failed "export $pool"
  out=$("$uae" import-run --trec "$work/bm25-$pool.trec" --split fixture --pool "$pool" --data "$fixture" --quiet 2>&1) \
    || failed "import-run $pool: $out"
  grep -q "trec:uae-bm25-$bm25  fixture  finished" <<<"$out" || failed "import-run $pool summary: $out"
  grep -q "^  map " <<<"$out" || failed "import-run $pool prints no metrics: $out"
  # The export holds the questions with text evidence only: the others are said to be missing.
  grep -Eq "warning: [1-6] of the 7 questions of split 'fixture' are not in the run" <<<"$out" \
    || failed "import-run $pool: no missing-question warning: $out"
  imported=$(newest)
  same "$bm25" "$imported"
  # Exported again, the import ranks exactly as the original (qid, docno, rank).
  "$uae" export "$imported" --trec --out "$work/again-$pool" --data "$fixture" >/dev/null || failed "export of the import"
  cmp -s <(cut -d' ' -f1-4 "$work/bm25-$pool.trec") <(cut -d' ' -f1-4 "$work/again-$pool.trec") \
    || failed "$pool: the imported run exports a different ranking"
done
"$uae" runs | grep -q "trec:uae-bm25-1" || failed "uae runs does not list the imported run"

# A run of another tool over the BEIR copy names paragraphs <paperId>#<N>: read against QASPER itself.
"$uae" export --beir "$work/beir" --data "$fixture" --split fixture >/dev/null || failed "export --beir"
"$uae" eval --method bm25 --data "$work/beir" --split fixture --quiet >/dev/null || failed "eval on BEIR"
"$uae" export "$(newest)" --trec --out "$work/beir-run" --data "$work/beir" >/dev/null || failed "export BEIR run"
grep -q " Q0 2001.00001#" "$work/beir-run.trec" || failed "the BEIR run's docnos are not <paperId>#<N>: $(head -2 "$work/beir-run.trec")"
"$uae" import-run --trec "$work/beir-run.trec" --split fixture --data "$fixture" --name outside --quiet >/dev/null 2>&1 \
  || failed "import-run of <paperId>#<N> docnos"
same 1 trec:outside

# Malformed files: a nonzero exit naming FILE:LINE, nothing stored.
runs_before=$("$uae" runs)
printf 'q1 Q0 p0 1 2.0 x\nq1 Q0 p1 2 1.0\n' >"$work/short.trec"
expect_fail "$work/short.trec:2: expected 6 fields" "$uae" import-run --trec "$work/short.trec" --split fixture --data "$fixture"
printf 'q1 Q0 p0 1 2.0 x\nq1 Q0 p1 2 NaN x\n' >"$work/nan.trec"
expect_fail "$work/nan.trec:2: score 'NaN' is not finite" "$uae" import-run --trec "$work/nan.trec" --split fixture --data "$fixture"
printf 'q1 Q0 p0 1 2.0 x\nq4 Q0 2001.00001#0 1 1.0 x\n' >"$work/other.trec"
expect_fail "$work/other.trec:2: docno '2001.00001#0' is a paragraph of paper 2001.00001, outside question q4's paper" \
  "$uae" import-run --trec "$work/other.trec" --split fixture --data "$fixture"
printf 'x1 Q0 p0 1 2.0 x\n' >"$work/train.trec"
expect_fail "$work/train.trec: none of the run's question ids is in split 'fixture'" \
  "$uae" import-run --trec "$work/train.trec" --split fixture --data "$fixture"
expect_fail "$work/absent.trec: cannot open the run file" "$uae" import-run --trec "$work/absent.trec" --split fixture --data "$fixture"
expect_fail "--trec" "$uae" import-run --split fixture --data "$fixture"
expect_fail "--pool: 'both' is not a known choice" "$uae" import-run --trec "$work/bm25-paper.trec" --pool both --split fixture
[ "$("$uae" runs)" = "$runs_before" ] || failed "uae runs changed after refused imports"

[ $failures -eq 0 ] && echo "all trec import checks passed"
exit $failures

#!/usr/bin/env bash
# BEIR in and out through the CLI (issue 15): the QASPER fixture exported with `uae export --beir`
# ranks identically when read back (BM25, and GloVe where the team's model is present; per-paper
# and corpus pools); `uae data` names the file and line of each malformed line; a failed import or
# export leaves the workspace's runs and the files already there as they were.
set -uo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
fixture=$src/tests/data/qasper
glove=$src/../shared/models/glove-6B-100d-top50k
failures=0
failed() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_fail() { # expect_fail "pattern" cmd...
  local pattern=$1; shift
  local out; out=$("$@" 2>&1); local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF -- "$pattern" <<<"$out"; then failed "'$*' (rc $rc) should fail with '$pattern'; got: $out"; fi
}
# The metrics an eval prints, without its run id and timings.
metrics() { "$uae" eval "$@" --quiet | grep -v -e '^run ' -e latency -e 'query path' -e 'pool encoding' -e 'pool preparation'; }

"$uae" export --beir "$work/beir" --data "$fixture" --split fixture >/dev/null || failed "export --beir"
out=$("$uae" data "$work/beir" --split fixture 2>&1) || failed "uae data on the export: $out"
grep -q "beir split fixture: 3 papers (pools), .* 7 queries" <<<"$out" || failed "uae data summary: $out"
grep -q "^splits here: fixture$" <<<"$out" || failed "uae data names the folder's splits: $out"

methods="bm25"
[ -d "$glove" ] && methods="bm25 glove"
for method in $methods; do
  for pool in paper corpus; do
    a=$(metrics --method "$method" --pool "$pool" --model "$glove" --data "$fixture" --split fixture) || failed "eval $method on QASPER"
    b=$(metrics --method "$method" --pool "$pool" --model "$glove" --data "$work/beir" --split fixture) || failed "eval $method on BEIR"
    grep -q "recall@1" <<<"$a" || failed "no metrics printed for $method/$pool: $a"
    [ "$a" = "$b" ] || failed "$method --pool $pool differs between QASPER and its BEIR copy:"$'\n'"$a"$'\n'"---"$'\n'"$b"
  done
done
runs_before=$("$uae" runs | wc -l)
before=$(cat "$work/beir/corpus.jsonl" "$work/beir/queries.jsonl" "$work/beir/qrels/fixture.tsv" | sha256sum)

# Malformed lines, one file at a time: each is named with its line.
cp -r "$src/tests/data/beir-malformed" "$work/bad"
expect_fail "$work/bad/corpus.jsonl:3: malformed JSON" "$uae" data "$work/bad" --split test
expect_fail "$work/bad/corpus.jsonl:3: malformed JSON" "$uae" eval --data "$work/bad" --split test
sed -i '3s/third passage$/third passage"}/' "$work/bad/corpus.jsonl"
expect_fail "$work/bad/queries.jsonl:2: missing 'text'" "$uae" data "$work/bad" --split test
sed -i '2s/.*/{"_id": "q2", "text": "second question"}/' "$work/bad/queries.jsonl"
expect_fail "$work/bad/qrels/test.tsv:3: 1 column(s), expected 3" "$uae" data --data "$work/bad" --split test
expect_fail "$work/bad/qrels/dev.tsv: missing (splits here: test)" "$uae" data "$work/bad" --split dev
expect_fail "--format: 'csv' is not a data format" "$uae" data "$work/bad" --format csv
expect_fail "$fixture/corpus.jsonl: missing" "$uae" data "$fixture" --format beir --split fixture
# Exporting over an existing BEIR folder is refused.
expect_fail "$work/beir/corpus.jsonl: already exists" "$uae" export --beir "$work/beir" --data "$fixture" --split fixture

# Nothing stored is lost: the runs and the exported files are as they were.
[ "$("$uae" runs | wc -l)" = "$runs_before" ] || failed "the workspace's runs changed after failed imports"
after=$(cat "$work/beir/corpus.jsonl" "$work/beir/queries.jsonl" "$work/beir/qrels/fixture.tsv" | sha256sum)
[ "$before" = "$after" ] || failed "a refused export changed the files already there"

# A generic BEIR set (one pool, answers in metadata) runs and is summarised.
out=$("$uae" data "$src/tests/data/beir-small" --split test 2>&1) || failed "uae data beir-small: $out"
grep -q "1 papers (pools), 5 passages, 4 queries, 4 with gold passages, 3 with answers" <<<"$out" || failed "beir-small summary: $out"
"$uae" eval --method bm25 --data "$src/tests/data/beir-small" --split test --quiet >/dev/null || failed "eval on beir-small"
# Its TREC export names documents by their corpus-ids.
"$uae" export bm25 --split test --trec --out "$work/small" >/dev/null || failed "export --trec of a BEIR run"
grep -qx "q4 0 4 1" "$work/small.qrels" && grep -q "^q1 Q0 d1 1 " "$work/small.trec" ||
  failed "TREC export of BEIR data without corpus-ids: $(cat "$work/small.qrels")"

[ $failures -eq 0 ] && echo "beir cli: all cases passed"
exit $((failures > 0))

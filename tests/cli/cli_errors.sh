#!/usr/bin/env bash
# Bad input through the CLI: each case must fail with a message naming the file and the problem.
set -uo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
fixture=$src/tests/data/qasper
failures=0
expect_fail() { # expect_fail "pattern" cmd...
  local pattern=$1; shift
  local out; out=$("$@" 2>&1); local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: '$*' (rc $rc) should fail with '$pattern'; got: $out"; failures=$((failures + 1))
  fi
}
expect_fail "--method: 'magic' is not a method" "$uae" eval --method magic --data "$fixture" --split fixture
expect_fail "/nonexistent/q: no such file" "$uae" eval --data /nonexistent/q --split dev
expect_fail "no qasper-test-*.json" "$uae" eval --data "$fixture" --split test
printf '{"p1": {"title": "x", "full_text": [' > "$work/qasper-broken-v0.3.json"
expect_fail "$work/qasper-broken-v0.3.json: malformed JSON" "$uae" eval --data "$work" --split broken
# An empty file made a "finished" run of 0 questions with metrics 0 (issue 13 item 10).
printf '{}' > "$work/qasper-empty-v0.3.json"
expect_fail "split 'empty' holds no questions" "$uae" eval --data "$work" --split empty
expect_fail "$work/none/vocab.txt: missing" "$uae" eval --method glove --model "$work/none" --data "$fixture" --split fixture
head -c 5000 /dev/urandom > "$work/garbage.db"
expect_fail "$work/garbage.db: " "$uae" runs --workspace "$work/garbage.db"
expect_fail "not expected: 1 --bogus" "$uae" eval --bogus 1
expect_fail "no run 99" "$uae" export 99 --csv
expect_fail "no finished run of method 'bm25'" "$uae" compare bm25 glove --split fixture
# --device cuda without a GPU ran silently on the CPU and stored "cpu" (issue 13 item 5).
if ! { command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; }; then
  expect_fail "device 'cuda' requested but LibTorch sees no CUDA GPU" "$uae" eval --method bert --model "$src/tests/data/bert-tiny" --device cuda --data "$fixture" --split fixture
  expect_fail "device 'cuda' requested but LibTorch sees no CUDA GPU" "$uae" embed --model "$src/tests/data/bert-tiny" --device cuda
fi
# float16 on the CPU is refused up front, not deep in a forward pass (issue 13).
expect_fail "dtype float16 needs a CUDA device" "$uae" embed --model "$src/tests/data/bert-tiny" --device cpu --dtype float16
# Broken tokenizers name the file and the field (issue 13): a BPE tokenizer.json without merges is
# reported as that, not as "not WordPiece"; a llama2.c tokenizer.bin with a bad header says which value.
mkdir -p "$work/bpe-no-merges"
printf '{"model": {"type": "BPE", "vocab": {"a": 0}}, "pre_tokenizer": {"type": "ByteLevel"}}' > "$work/bpe-no-merges/tokenizer.json"
expect_fail "$work/bpe-no-merges/tokenizer.json: model.merges is missing" "$uae" tokenize --model "$work/bpe-no-merges" </dev/null
mkdir -p "$work/l2c"
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('<7i',8,16,1,1,1,3,8)); open(sys.argv[2],'wb').write(struct.pack('<i',0))" "$work/l2c/model.bin" "$work/l2c/tokenizer.bin"
expect_fail "$work/l2c/tokenizer.bin: header max_token_length = 0" "$uae" tokenize --model "$work/l2c/model.bin" </dev/null
# Runs of two splits share no question; an interrupted run is compared with a note (issue 13).
sql() { python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); r=db.execute(sys.argv[2]).fetchone(); db.commit(); print(r[0] if r else '')" "$UAE_WORKSPACE" "$1"; }
"$uae" eval --data "$fixture" --split fixture --quiet >/dev/null
a=$(sql "SELECT max(id) FROM runs")
"$uae" eval --data "$fixture" --split fixture --quiet --limit 2 >/dev/null
b=$(sql "SELECT max(id) FROM runs")
sql "UPDATE runs SET split='other' WHERE id=$b" >/dev/null
expect_fail "they share no question" "$uae" compare "$a" "$b"
sql "UPDATE runs SET split='fixture', status='interrupted' WHERE id=$b" >/dev/null
out=$("$uae" compare "$a" "$b" 2>&1) && grep -q "run $b is interrupted" <<<"$out" && grep -q "both ranked" <<<"$out" ||
  { echo "FAIL: compare with an interrupted run: $out"; failures=$((failures + 1)); }
out=$("$uae" export "$b" --csv --out "$work/partial" 2>&1)
grep -q "warning: run $b is interrupted" <<<"$out" ||
  { echo "FAIL: export of an interrupted run gave no warning"; failures=$((failures + 1)); }
# Switches take no value, wherever they stand.
"$uae" eval --data "$fixture" --split fixture --no-cache --quiet >/dev/null || { echo "FAIL: --no-cache before another option"; failures=$((failures + 1)); }
# A split without labels is labelled first (as the GUI does), then the missing model is named.
# An absolute path is never a Hugging Face id: no "huggingface-cli download /nonexistent" hint
# (issue 13 item 11); a file given for a folder is named as such.
expect_fail "/nonexistent: no such model folder" "$uae" eval --method bert --model /nonexistent --data "$fixture" --split fixture
expect_fail "model.safetensors: a file, not a model folder" "$uae" eval --method bert --model "$src/tests/data/bert-tiny/model.safetensors" --data "$fixture" --split fixture
expect_fail "$work/none: no such model folder" "$uae" train --no-mixed-precision --encoder bert --model "$work/none" --data "$fixture" --split fixture --eval-split fixture
# A run interrupted by SIGKILL is found and marked on the next start, its results kept.
"$uae" eval --data "$fixture" --split fixture --quiet >/dev/null || failures=$((failures + 1))
python3 - "$UAE_WORKSPACE" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO runs(kind, method, split, status, config, pid, host) VALUES('eval','bm25','fixture','running','{}', 2147483000, (SELECT host FROM runs LIMIT 1))")
db.commit()
PY
out=$("$uae" runs 2>&1)
grep -q "marked 'interrupted'" <<<"$out" && grep -q "interrupted" <<<"$out" || { echo "FAIL: interrupted run not marked: $out"; failures=$((failures + 1)); }
# Label runs rank nothing: uae runs shows a dash for their R@1 and MAP, an eval run its numbers.
grep -qE "^ +[0-9]+ label .* finished .* +- +-$" <<<"$out" || { echo "FAIL: label run without dashes: $out"; failures=$((failures + 1)); }
grep -qE "^ +[0-9]+ eval +bm25 .* finished .* [0-9]\.[0-9]{4} +[0-9]\.[0-9]{4}$" <<<"$out" || { echo "FAIL: eval run without metrics: $out"; failures=$((failures + 1)); }
[ $failures -eq 0 ] && echo "all CLI error cases behave" 
exit $failures

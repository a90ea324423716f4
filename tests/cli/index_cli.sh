#!/usr/bin/env bash
# Stored FAISS indexes through the CLI, each step its own process: `uae index build` builds once and
# a second process (and `uae eval --pool corpus --index`) reuses the file unchanged; a changed
# corpus or a damaged file is rebuilt with a message; wrong uses fail naming the option.
set -uo pipefail
uae=$1; src=$2
glove=$src/../shared/models/glove-6B-100d-top50k
[ -d "$glove" ] || { echo "shared GloVe not present at $glove"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
fixture=$src/tests/data/qasper
file=$work/ws.files/indexes/glove-fixture-Flat.faiss
failures=0
check() { # check "what" "pattern" "output"
  if ! grep -qF -- "$2" <<<"$3"; then echo "FAIL: $1: expected '$2' in: $3"; failures=$((failures + 1)); fi
}
expect_fail() { # expect_fail "pattern" cmd...
  local pattern=$1; shift
  local out; out=$("$@" 2>&1); local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: '$*' (rc $rc) should fail with '$pattern'; got: $out"; failures=$((failures + 1))
  fi
}
build() { "$uae" index build --method glove --model "$glove" --split fixture --quiet "$@" 2>&1; }

check "first build" "built: $file" "$(build --data "$fixture" --index Flat)"
meta=$(cat "$file.json")
check "second process" "loaded (up to date, nothing built)" "$(build --data "$fixture" --index Flat)"
out=$("$uae" eval --method glove --model "$glove" --data "$fixture" --split fixture --pool corpus --index Flat --quiet 2>&1)
check "eval through the index" "glove  fixture  finished" "$out"
[ "$meta" = "$(cat "$file.json")" ] || { echo "FAIL: the index was rebuilt by a process that should reuse it"; failures=$((failures + 1)); }
check "list" "glove-fixture-Flat.faiss" "$("$uae" index list 2>&1)"

mkdir "$work/edited"
sed 's/The encoder uses mean pooling/The encoder uses max pooling/' "$fixture/qasper-fixture-v0.3.json" \
  > "$work/edited/qasper-fixture-v0.3.json"
check "list --check: current" "  current" "$("$uae" index list --check --model "$glove" --data "$fixture" 2>&1)"
check "list --check: corpus" "  stale, rebuilt when used: the corpus changed" \
  "$("$uae" index list --check --model "$glove" --data "$work/edited" 2>&1)"
check "list --check: no encoder" "  cannot check: " "$("$uae" index list --check --model "$work/none" --data "$fixture" 2>&1)"
[ "$meta" = "$(cat "$file.json")" ] || { echo "FAIL: list --check rebuilt the index"; failures=$((failures + 1)); }
check "corpus changed" "rebuilt because $file: the corpus changed" "$(build --data "$work/edited" --index Flat)"

truncate -s 100 "$file"
out=$(build --data "$work/edited" --index Flat)
check "damaged file: warning" "warning: rebuilding the index: $file" "$out"
check "damaged file: rebuilt" "built: $file" "$out"

expect_fail "serves --pool corpus only" "$uae" eval --method glove --model "$glove" --data "$fixture" --split fixture --index Flat
expect_fail "method bm25 ranks without vectors" "$uae" eval --method bm25 --data "$fixture" --split fixture --pool corpus --index Flat
expect_fail "'NoSuchIndex' is not one FAISS can build" "$uae" index build --method glove --model "$glove" --data "$fixture" --split fixture --index NoSuchIndex
expect_fail "--index IVF4096,Flat" "$uae" index build --method glove --model "$glove" --data "$fixture" --split fixture --index IVF4096,Flat
expect_fail "nprobe applies to IVF indexes" "$uae" eval --method glove --model "$glove" --data "$fixture" --split fixture --pool corpus --index Flat --nprobe 4
expect_fail "say build, list or remove" "$uae" index drop
expect_fail "unexpected argument 'extra'" "$uae" index list extra

# remove: by the name list prints; a second time, or a file outside the index folder, is refused
# and leaves the file alone.
outside=$work/outside.faiss; cp "$file" "$outside"
expect_fail "not an index of this workspace" "$uae" index remove "$outside"
expect_fail "not an index of this workspace" "$uae" index remove "$work/ws.files/indexes/../../outside.faiss"
[ -f "$outside" ] || { echo "FAIL: remove deleted a file outside the index folder"; failures=$((failures + 1)); }
expect_fail "name the indexes to delete" "$uae" index remove
check "remove" "deleted glove-fixture-Flat.faiss" "$("$uae" index remove glove-fixture-Flat.faiss 2>&1)"
[ ! -e "$file" ] && [ ! -e "$file.json" ] || { echo "FAIL: remove left $file"; failures=$((failures + 1)); }
check "list after remove" "no stored indexes" "$("$uae" index list 2>&1)"
expect_fail "glove-fixture-Flat.faiss: no such index" "$uae" index remove glove-fixture-Flat.faiss
[ $failures -eq 0 ] && echo "all index CLI cases passed"
exit $failures

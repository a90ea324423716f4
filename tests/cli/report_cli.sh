#!/usr/bin/env bash
# uae report end to end, read back as a user would: the PDF's text (Poppler's pdftotext) holds every
# number `uae compare` prints for the same runs and the pinned question ids; bad input (an unknown
# run, runs of two splits, an unwritable --out, an unknown pinned question) is refused with a
# message naming it, a non-zero exit and no file. Runs without a display.
set -euo pipefail
uae=$1; src=$2
command -v pdftotext >/dev/null || { echo "SKIP: pdftotext (poppler-utils) is not installed"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db OMP_WAIT_POLICY=PASSIVE
unset DISPLAY WAYLAND_DISPLAY
fixture=$src/tests/data/qasper
cd "$work"
"$uae" eval --method bm25 --split fixture --data "$fixture" --quiet >/dev/null
"$uae" eval --method bert --model "$src/tests/data/bert-tiny" --device cpu --split fixture --data "$fixture" --quiet >/dev/null
mkdir other && cp "$fixture/qasper-fixture-v0.3.json" other/qasper-other-v0.3.json
"$uae" eval --method bm25 --split other --data "$work/other" --quiet >/dev/null

# Even a platform that needs a display is overridden: the report draws offscreen.
QT_QPA_PLATFORM=xcb "$uae" report 1 2 --pinned q1,q3 --out "$work/report.pdf" >/dev/null
[ -s "$work/report.pdf" ] || { echo "FAIL: no report.pdf"; exit 1; }
pdftotext "$work/report.pdf" "$work/report.txt"
"$uae" compare 1 2 --split fixture >"$work/compare.txt"
# Every decimal number of the comparison, as printed, is in the PDF's text.
numbers=$(grep -oE '[+-]?[0-9]+\.[0-9]+' "$work/compare.txt" | sort -u)
[ -n "$numbers" ] || { echo "FAIL: no numbers in uae compare's output"; exit 1; }
for n in $numbers; do
  grep -qF -- "$n" "$work/report.txt" || { echo "FAIL: $n (uae compare) is not in the report's text"; exit 1; }
done
for id in q1 q3; do
  grep -qE "question $id\b" "$work/report.txt" || { echo "FAIL: pinned question $id is not in the report"; exit 1; }
done
for want in "Headline" "Teacher diagnostics" "Gold's journey" "#1 bm25" "#2 bert"; do
  grep -qF -- "$want" "$work/report.txt" || { echo "FAIL: '$want' is not in the report"; exit 1; }
done
# Without --pinned: the biggest MAP loss of B is chosen as an example.
"$uae" report bm25 bert --split fixture --out "$work/chosen.pdf" >/dev/null
pdftotext "$work/chosen.pdf" - | grep -qF "the biggest MAP loss of B" || { echo "FAIL: no chosen example"; exit 1; }

expect_fail() { # message, then the command; the exit status must be non-zero and nothing written
  local want=$1; shift
  rm -f "$work/bad.pdf"
  if "$@" >"$work/out.txt" 2>"$work/err.txt"; then echo "FAIL: succeeded: $*"; exit 1; fi
  grep -qF -- "$want" "$work/err.txt" || { echo "FAIL: '$want' not in: $(cat "$work/err.txt")"; exit 1; }
  [ ! -e "$work/bad.pdf" ] || { echo "FAIL: bad.pdf written by: $*"; exit 1; }
}
expect_fail "no run 99" "$uae" report 1 99 --out "$work/bad.pdf"
expect_fail "run 1 ranks fixture and run 3 ranks other" "$uae" report 1 3 --out "$work/bad.pdf"
expect_fail "--pinned: pinned question 'nope'" "$uae" report 1 2 --pinned q1,nope --out "$work/bad.pdf"
expect_fail "--out" "$uae" report 1 2
mkdir "$work/locked" && chmod 500 "$work/locked"
if [ "$(id -u)" -ne 0 ]; then
  expect_fail "--out $work/locked/r.pdf: cannot write" "$uae" report 1 2 --out "$work/locked/r.pdf"
fi
expect_fail "--out $work/missing/r.pdf: cannot write" "$uae" report 1 2 --out "$work/missing/r.pdf"
[ ! -e "$work/missing" ] || { echo "FAIL: the missing folder was created"; exit 1; }
echo "report_cli: ok"

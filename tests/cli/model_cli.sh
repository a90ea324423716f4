#!/usr/bin/env bash
# uae tokenize / embed / eval --method bert, checked from outside as a user would.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
tiny=$src/tests/data/bert-tiny
vocab=$src/../shared/models/bert-base-uncased-vocab
if [ -d "$vocab" ]; then
  got=$(printf 'Hello, World!\nunaffable\n' | "$uae" tokenize --model "$vocab")
  [ "$got" = $'[101,7592,1010,2088,999,102]\n[101,14477,20961,3468,102]' ] || { echo "tokenize gave: $got"; exit 1; }
fi
# embed: the first reference passage and query, through stdin, against the PyTorch reference.
python3 - "$tiny/reference.json" "$work" <<'PY'
import json, sys
ref = json.load(open(sys.argv[1]))
open(sys.argv[2] + "/p.txt", "w").write(ref["passages"][0]["text"] + "\n" + ref["passages"][1]["text"] + "\n")
open(sys.argv[2] + "/q.txt", "w").write(ref["queries"][0]["text"] + "\n")
PY
"$uae" embed --model "$tiny" --device cpu < "$work/p.txt" > "$work/p.out"
"$uae" embed --model "$tiny" --device cpu --query < "$work/q.txt" > "$work/q.out"
python3 - "$tiny/reference.json" "$work" <<'PY'
import json, sys
ref, w = json.load(open(sys.argv[1])), sys.argv[2]
p = [json.loads(l) for l in open(w + "/p.out")]
q = [json.loads(l) for l in open(w + "/q.out")]
pairs = [(p[0], ref["passages"][0]["cls"]), (p[1], ref["passages"][1]["cls"]), (q[0], ref["queries"][0]["cls"])]
worst = max(abs(a - b) for got, want in pairs for a, b in zip(got, want))
assert len(p) == 2 and len(q) == 1 and all(len(g) == 64 for g, _ in pairs), "wrong shape"
assert worst <= 1e-4, f"embed differs from the reference by {worst}"
print(f"uae embed matches the reference (max abs diff {worst:.2e})")
PY
first=$("$uae" eval --method bert --model "$tiny" --device cpu --data "$src/tests/data/qasper" --split fixture --quiet)
grep -q "bert  fixture  finished" <<<"$first" || { echo "bert eval: $first"; exit 1; }
# A flipped byte in the embedding cache changed rankings silently (issue 13 item 8): the damaged
# record is dropped and encoded again, the user is warned, the metrics are those of a cold cache.
cache=$(ls "$work"/cache/bert-*.emb)
python3 -c "import sys; f=open(sys.argv[1],'r+b'); f.seek(12+3*(16+4*64)+40); b=f.read(1); f.seek(-1,1); f.write(bytes([b[0]^16]))" "$cache"
again=$("$uae" eval --method bert --model "$tiny" --device cpu --data "$src/tests/data/qasper" --split fixture --quiet 2>"$work/warn.txt")
grep -q "warning: .*1 of [0-9]* records failed their checksum" "$work/warn.txt" || { echo "no cache warning: $(cat "$work/warn.txt")"; exit 1; }
[ "$(grep -E '^  (recall|map|mrr)' <<<"$first")" = "$(grep -E '^  (recall|map|mrr)' <<<"$again")" ] || { echo "metrics changed: $again"; exit 1; }
stories=$src/../shared/models/stories260K
if [ -d "$stories" ]; then
  got=$("$uae" generate --model "$stories/stories260K.bin" --prompt "Once upon a time" --max-new-tokens 8 --device cpu)
  [ "$(head -1 <<<"$got")" = "[432,383,286,261,376,298,315,421]" ] || { echo "generate gave: $got"; exit 1; }
  [ "$(tail -1 <<<"$got")" = ", there was a little girl" ] || { echo "generate text: $got"; exit 1; }
  [ "$(echo 'Once upon a time' | "$uae" tokenize --model "$stories/stories260K.bin")" = "[1,403,407,261,378]" ]
  # A prompt longer than the context printed [] with exit 0 (issue 13 item 10): now an error.
  long=$(printf 'once upon a time %.0s' $(seq 300))
  out=$("$uae" generate --model "$stories/stories260K.bin" --prompt "$long" --device cpu 2>&1) &&
    { echo "a prompt longer than the context was accepted: $out"; exit 1; }
  grep -q "reads at most 511" <<<"$out" || { echo "unexpected error for a long prompt: $out"; exit 1; }
fi
out=$("$uae" embed --model "$work/nowhere" < /dev/null 2>&1) && { echo "embed on a missing model succeeded"; exit 1; }
grep -q "no such model folder" <<<"$out" || { echo "unexpected error: $out"; exit 1; }
echo "model CLI ok"

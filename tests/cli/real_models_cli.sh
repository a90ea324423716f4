#!/usr/bin/env bash
# The real models from the command line, as a user runs them: uae models, uae generate on the
# SmolLM2 GGUF (greedy text identical to transformers', from the committed goldens), tokenize
# by model name, and clear errors for a truncated GGUF and a fetched model used as the wrong kind.
set -euo pipefail
uae=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export UAE_WORKSPACE=$work/ws.db
goldens=$src/tests/data/real-models
"$uae" models --verify > "$work/models.txt" || { cat "$work/models.txt"; echo "uae models --verify failed: run scripts/fetch-models.sh"; exit 1; }
for name in all-MiniLM-L6-v2 SmolLM2-135M-Instruct; do
  grep -q "^$name " "$work/models.txt" || { cat "$work/models.txt"; echo "uae models does not list $name"; exit 1; }
done
grep -q "Apache-2.0" "$work/models.txt"
# Greedy continuations: two golden prompts, 64 tokens each, by model name and by file.
gguf=$(awk '$1 == "SmolLM2-135M-Instruct" {print $NF}' "$work/models.txt")
python3 - "$goldens/smollm2/prompts.json" "$work" <<'PY'
import json, sys
# Prompts 0 and 3 end without a newline, which "$(cat FILE)" would drop.
for i, p in enumerate(json.load(open(sys.argv[1]))[0:4:3]):
    open(f"{sys.argv[2]}/prompt{i}.txt", "w").write(p["prompt"])
    open(f"{sys.argv[2]}/want{i}.txt", "w").write(json.dumps(p["greedy"], separators=(",", ":")) + "\n" + p["greedy_text"] + "\n")
PY
for i in 0 1; do
  model=SmolLM2-135M-Instruct; [ "$i" = 1 ] && model=$gguf
  "$uae" generate --model "$model" --prompt "$(cat "$work/prompt$i.txt")" --max-new-tokens 64 --device cpu > "$work/got$i.txt"
  python3 - "$work/got$i.txt" "$work/want$i.txt" <<'PY'
import json, sys
got, want = open(sys.argv[1]).read().split("\n", 1), open(sys.argv[2]).read().split("\n", 1)
g, w = json.loads(got[0]), json.loads(want[0])
# transformers ran on past EOS; uae generate stops there: the same tokens up to it.
assert g == w[:len(g)] and (len(g) == len(w) or g[-1] == 2), f"greedy ids differ:\n{g}\n{w}"
if len(g) == len(w):
    assert got[1] == want[1], f"greedy text differs:\n{got[1]!r}\n{want[1]!r}"
print(f"uae generate: {len(g)} greedy tokens identical to transformers")
PY
done
[ "$(echo 'In 2021, BM25 won.' | "$uae" tokenize --model SmolLM2-135M-Instruct)" = "$(echo 'In 2021, BM25 won.' | "$uae" tokenize --model "$gguf")" ]
# A truncated GGUF: an error naming the file, never a crash.
head -c 100000 "$gguf" > "$work/cut.gguf"
out=$("$uae" generate --model "$work/cut.gguf" --prompt hi 2>&1) && { echo "a truncated GGUF was accepted"; exit 1; }
grep -q "cut.gguf" <<<"$out" || { echo "unexpected error: $out"; exit 1; }
out=$("$uae" eval --method bert:SmolLM2-135M-Instruct --data "$src/tests/data/qasper" --split fixture 2>&1) && { echo "an LLM was accepted as an encoder"; exit 1; }
grep -q "not a BERT-family encoder" <<<"$out" || { echo "unexpected error: $out"; exit 1; }
# MiniLM by name ranks the fixture and is stored as bert:all-MiniLM-L6-v2.
"$uae" eval --method bert --model all-MiniLM-L6-v2 --device cpu --data "$src/tests/data/qasper" --split fixture --quiet \
  | grep -q "bert:all-MiniLM-L6-v2  fixture  finished"
# Every command that takes an LLM takes the GGUF: re-ranking and utility labels on the fixture.
"$uae" eval --method llm-rerank --model SmolLM2-135M-Instruct --rerank-k 3 --limit 2 --device cpu \
  --data "$src/tests/data/qasper" --split fixture --quiet | grep -q "llm-rerank  fixture  finished"
"$uae" label --scorer lm --model "$gguf" --split fixture --data "$src/tests/data/qasper" --limit 1 --device cpu --quiet \
  | grep -q "top utility is gold evidence"
"$uae" runs | grep -q "label  lm .* finished"
# The instruct model asked in its chat turns: its own prompt version, labels stored beside the plain ones.
"$uae" label --scorer lm --model SmolLM2-135M-Instruct --prompt chat --top-k 2 --split fixture \
  --data "$src/tests/data/qasper" --limit 1 --device cpu --quiet | grep -q "lm-chat-v1:SmolLM2-135M-Instruct  fixture  finished"
python3 - "${UAE_WORKSPACE}" <<'PY'
import math, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT prompt_version, utility FROM labels WHERE scorer='lm'").fetchall()
versions = {v for v, _ in rows}
assert any(v.startswith("lm-chat-v1:") for v in versions) and any(v.startswith("lm-v1:") for v in versions), versions
assert all(math.isfinite(u) for _, u in rows), rows
PY
# The paper pipeline on real models: SmolLM2 labels, UAE-MiniLM trained on them, three methods ranked.
out=$("$uae" pipeline --encoder bert --model all-MiniLM-L6-v2 --labels lm --teacher SmolLM2-135M-Instruct \
  --data "$src/tests/data/qasper" --split fixture --eval-split fixture --device cpu --workspace "$work/pipeline.db" --quiet)
for method in bm25 "bert:all-MiniLM-L6-v2" uae; do
  grep -qE "^  [0-9]+ +$method " <<<"$out" || { echo "pipeline: no $method row in: $out"; exit 1; }
done
[ "$("$uae" runs --workspace "$work/pipeline.db" | grep -c finished)" = 5 ] || { echo "pipeline: not 5 finished runs"; exit 1; }
echo "real models CLI ok"

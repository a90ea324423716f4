#!/usr/bin/env bash
# UAE training speed. (1) The embedded default: Dirichlet labels on all of QASPER train, UAE-GloVe
# for 15 epochs, evaluated on dev (issue bar: under 2 minutes on 2 cores; the Python prototype took
# about 20 s). (2) A BERT-base-sized encoder (random weights, real QASPER text) for a few steps:
# questions/s on this machine's device. Results: bench/results/train_<tag>.json ($UAE_BENCH_TAG, else
# cpu<cores> or cuda).
# usage: bench/run_train_bench.sh [BERT_QUESTIONS=16] [THREADS=2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nq=${1:-16}; threads=${2:-2}
work=$root/build/bench/train; rm -rf "$work"; mkdir -p "$work" "$root/bench/results"
uae=$root/build/app/uae
data=$root/datasets/qasper
model=$root/build/bench/bert-base-random
vocab=${UAE_BERT_VOCAB:-$root/../shared/models/bert-base-uncased-vocab}
[ -f "$model/model.safetensors" ] || /usr/bin/python3 "$root/bench/make_bert_base.py" "$vocab" "$model"
now() { date +%s.%N; }
ws=$work/glove.db
t0=$(now); "$uae" label --split train --data "$data" --workspace "$ws" --threads "$threads" --quiet >/dev/null
t1=$(now); glove_out=$("$uae" train --data "$data" --workspace "$ws" --threads "$threads" --quiet)
t2=$(now)
echo "$glove_out"
bws=$work/bert.db
"$uae" label --split train --limit "$nq" --data "$data" --workspace "$bws" --quiet >/dev/null
t3=$(now); bert_out=$("$uae" train --encoder bert --model "$model" --epochs 1 --batch 4 --max-candidates 8 \
  --max-tokens 256 --eval-limit 1 --data "$data" --workspace "$bws" --threads "$threads" --quiet)
t4=$(now)
echo "$bert_out"
tag=${UAE_BENCH_TAG:-$(echo "$bert_out" | grep -q 'cuda' && echo cuda || echo "cpu$(nproc)")}
/usr/bin/python3 - "$root/bench/results/train_$tag.json" "$t0" "$t1" "$t2" "$t3" "$t4" "$threads" "$nq" "$glove_out" "$bert_out" <<'PY'
import json, re, sys
out, t0, t1, t2, t3, t4, threads, nq, glove, bert = sys.argv[1:]
t0, t1, t2, t3, t4 = map(float, (t0, t1, t2, t3, t4))
qps = lambda s: float(re.search(r"([0-9.]+) questions/s", s).group(1))
evals = lambda s: re.search(r"Recall@1 ([0-9.]+) -> ([0-9.]+), MAP ([0-9.]+) -> ([0-9.]+)", s).groups()
r1a, r1b, mapa, mapb = map(float, evals(glove))
r = {"threads": int(threads),
     "glove": {"label_train_s": round(t1 - t0, 2), "train_15_epochs_s": round(t2 - t1, 2),
               "questions_per_s": qps(glove), "dev_recall1": [r1a, r1b], "dev_map": [mapa, mapb]},
     "bert_base_random": {"labeled_questions": int(nq), "batch_questions": 4, "candidates": 8, "max_tokens": 256,
                          "wall_s_incl_load_and_eval": round(t4 - t3, 2), "questions_per_s": qps(bert)}}
json.dump(r, open(out, "w"), indent=1)
print(json.dumps(r, indent=1))
PY

#!/usr/bin/env python3
"""Independent check of `uae export`: recomputes, from the exported files alone, what trec_eval
and allenai's qasper_evaluator.py compute, and compares with the per-question CSV of the run.

trec_eval semantics (binary relevance): a query counts when it has relevant documents in the qrels
and appears in the run; documents are ordered by score descending, ties by docno descending;
map, recip_rank, recall_k (relevant in top k / relevant) and ndcg_cut_10 (gain 1, log2(rank+1)).
QASPER semantics (--text_evidence_only): per question, max over annotators of the paragraph F1
between predicted and gold evidence strings; the mean runs over every question of the gold file.

usage: verify_exports.py PREFIX   (reads PREFIX.trec, .qrels, .csv, .predictions.jsonl, .gold.json)
"""
import csv
import json
import math
import struct
import sys
from collections import defaultdict

TOL = 1e-6


def read_qrels(path):
    rel = defaultdict(set)
    with open(path) as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) != 4:
                sys.exit(f"{path}:{n}: expected 4 columns 'qid 0 docno rel', got {len(parts)}")
            if int(parts[3]) > 0:
                rel[parts[0]].add(parts[2])
    return rel


def read_run(path):
    run = defaultdict(list)
    with open(path) as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) != 6 or parts[1] != "Q0":
                sys.exit(f"{path}:{n}: expected 'qid Q0 docno rank score tag'")
            # trec_eval reads the score into a C float: scores apart by less than its precision tie.
            run[parts[0]].append((as_float32(parts[4]), parts[2], int(parts[3])))
    return run


def as_float32(text):
    return struct.unpack("f", struct.pack("f", float(text)))[0]


def trec_metrics(docs, relevant):
    docs = sorted(docs, key=lambda d: d[1], reverse=True)   # ties: docno descending
    docs = sorted(docs, key=lambda d: d[0], reverse=True)   # then score descending (stable)
    ranked = [d[1] for d in docs]
    hits, ap, rr, dcg = 0, 0.0, 0.0, 0.0
    recall = {}
    for i, doc in enumerate(ranked, 1):
        if doc in relevant:
            hits += 1
            ap += hits / i
            rr = rr or 1.0 / i
            if i <= 10:
                dcg += 1.0 / math.log2(i + 1)
        if i in (1, 3, 5):
            recall[i] = hits / len(relevant)
    for k in (1, 3, 5):
        recall.setdefault(k, hits / len(relevant))
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(10, len(relevant)) + 1))
    # The file's rank column must agree with the order trec_eval derives from the scores.
    order_ok = [d[2] for d in docs] == list(range(1, len(docs) + 1))
    return {"recall@1": recall[1], "recall@3": recall[3], "recall@5": recall[5], "mrr": rr,
            "map": ap / len(relevant), "ndcg@10": dcg / ideal}, order_ok


def paragraph_f1(pred, gold):
    if not pred and not gold:
        return 1.0
    same = len(set(pred) & set(gold))
    if same == 0:
        return 0.0
    p, r = same / len(pred), same / len(gold)
    return 2 * p * r / (p + r)


def qasper_evidence(gold_path, pred_path):
    with open(gold_path) as f:
        gold = json.load(f)
    preds = {}
    with open(pred_path) as f:
        for line in f:
            obj = json.loads(line)
            preds[obj["question_id"]] = obj["predicted_evidence"]
    per_q = {}
    for paper in gold.values():
        for qa in paper["qas"]:
            refs = []
            for a in qa["answers"]:
                ans = a["answer"]
                refs.append([] if ans["unanswerable"] else
                            [e for e in ans["evidence"] if "FLOAT SELECTED" not in e])
            pred = preds.get(qa["question_id"])
            per_q[qa["question_id"]] = 0.0 if pred is None else max(paragraph_f1(pred, r) for r in refs)
    return per_q


def main(prefix):
    rel = read_qrels(prefix + ".qrels")
    run = read_run(prefix + ".trec")
    with open(prefix + ".csv") as f:
        ours = {row["question_id"]: row for row in csv.DictReader(f)}
    failures, sums, count = [], defaultdict(float), 0
    for qid, docs in run.items():
        if qid not in rel:
            continue
        m, order_ok = trec_metrics(docs, rel[qid])
        if not order_ok:
            failures.append(f"{qid}: rank column differs from the score order")
        count += 1
        for name, value in m.items():
            sums[name] += value
            if abs(value - float(ours[qid][name])) > 1e-5:
                failures.append(f"{qid} {name}: trec_eval {value:.6f}, ours {ours[qid][name]}")
    evaluated = [q for q, row in ours.items() if row["evaluated"] == "1"]
    if count != len(evaluated):
        failures.append(f"{count} queries scored from the run, {len(evaluated)} evaluated by us")
    print(f"trec_eval semantics over {count} queries:")
    for name in ("map", "mrr", "recall@1", "recall@3", "recall@5", "ndcg@10"):
        ours_mean = sum(float(ours[q][name]) for q in evaluated) / max(1, len(evaluated))
        print(f"  {name:10s} {sums[name] / max(1, count):.4f}  (ours {ours_mean:.4f})")
        if abs(sums[name] / max(1, count) - ours_mean) > 1e-5:
            failures.append(f"mean {name} differs")
    ev = qasper_evidence(prefix + ".gold.json", prefix + ".predictions.jsonl")
    for qid, value in ev.items():
        if qid in ours and abs(value - float(ours[qid]["evidence_f1"])) > TOL:
            failures.append(f"{qid} evidence_f1: evaluator {value:.6f}, ours {ours[qid]['evidence_f1']}")
    official = sum(ev.values()) / max(1, len(ev))
    ours_all = sum(float(r["evidence_f1"]) for r in ours.values()) / max(1, len(ours))
    print(f"QASPER Evidence F1 (text evidence only, all {len(ev)} questions): {official:.4f} (ours {ours_all:.4f})")
    if len(ev) == len(ours) and abs(official - ours_all) > 1e-5:
        failures.append("mean Evidence F1 differs")
    for line in failures[:20]:
        print("MISMATCH", line)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))

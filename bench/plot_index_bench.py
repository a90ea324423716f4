#!/usr/bin/env python3
"""Table (markdown) and recall-vs-QPS plot (PNG) of bench_vector_index's JSON lines.
   plot_index_bench.py RESULTS.jsonl TABLE.md PLOT.png"""
import json
import sys

rows, corpus = [], {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    if "corpus" in j:
        corpus = j["corpus"]
    else:
        rows.append(j)

exact = {(r["n"]): r for r in rows if r["factory"] == "Flat"}
widths = ", ".join(f"{n:,} of {w + 1} sentence{'s' if w else ''}" for w, n in enumerate(corpus.get("by_sentences", [])))
out = [f"Corpus: {corpus.get('passages'):,} passages of QASPER {corpus.get('splits')} ({widths}; windows of "
       f"consecutive sentences of a paper), {corpus.get('encoder')}; queries: the splits' "
       f"{corpus.get('questions'):,} questions (the first 1,000; 200 of them one at a time for batch 1).", "",
       "| vectors | index | setting | build s | memory MB | QPS b1 | QPS b64 | recall@10 | x exact QPS b1 | x exact QPS b64 |",
       "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    e = exact.get(r["n"])
    setting = f"{r['param']} {r['value']}" if r["param"] else "exact"
    sp1 = r["qps_b1"] / e["qps_b1"] if e else float("nan")
    sp64 = r["qps_b64"] / e["qps_b64"] if e else float("nan")
    out.append(f"| {r['n']:,} | {r['factory']} | {setting} | {r['build_s']:.1f} | {r['memory_mb']:.0f} | "
               f"{r['qps_b1']:.0f} | {r['qps_b64']:.0f} | {r['recall10']:.3f} | {sp1:.1f} | {sp64:.1f} |")
# Summary: per size and index type, the cheapest setting reaching recall@10 >= 0.95 (else the best).
summary = ["", "Per size and index type, the first setting with recall@10 >= 0.95 (else the highest recall):", "",
           out[2], out[3]]
for n in sorted({r["n"] for r in rows}):
    for f in dict.fromkeys(r["factory"] for r in rows if r["n"] == n):
        pts = [r for r in rows if r["n"] == n and r["factory"] == f]
        good = [r for r in pts if r["recall10"] >= 0.95]
        pick = good[0] if good else max(pts, key=lambda r: r["recall10"])
        summary.append(out[4 + rows.index(pick)])
out[2:2] = summary[1:] + ["", "All settings:", ""]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

sizes = sorted({r["n"] for r in rows})
fig, axes = plt.subplots(1, len(sizes), figsize=(5 * len(sizes), 4.2), squeeze=False)
for ax, n in zip(axes[0], sizes):
    for f in dict.fromkeys(r["factory"] for r in rows if r["n"] == n):
        pts = [r for r in rows if r["n"] == n and r["factory"] == f]
        ax.plot([p["recall10"] for p in pts], [p["qps_b1"] for p in pts], marker="o", label=f)
    ax.axvline(0.95, color="grey", linestyle=":")
    ax.set_yscale("log")
    ax.set_xlabel("recall@10 vs exact")
    ax.set_ylabel("queries/s, batch 1 (2 cores)")
    ax.set_title(f"{n:,} GloVe-100 vectors")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[3], dpi=110)

"""Checks a merged workspace against a single-process labeling run (tests/cli label tests).

usage: label_compare.py SINGLE.db MERGED.db SHARD_DIR SHARDS

The merged labels must equal the single run's exactly (values compared as stored, bit for bit),
each shard must hold a balanced share (sizes differ by at most one question) disjoint from the
others, every merged question's run must name the shard file it was labelled in, and the merge
must have been run twice by the caller, the second time changing nothing (checked through the
shards' runs appearing once each).
"""
import os
import sqlite3
import sys

single, merged, shard_dir, shards = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def labels(db):
    return sorted(db.execute("SELECT question, paragraph, scorer, prompt_version, split, utility, nll_with, "
                             "nll_without FROM labels").fetchall())


def questions(db):
    return sorted(db.execute("SELECT question, scorer, prompt_version, split, candidates, source_hash "
                             "FROM labeled_questions").fetchall())


one, all_ = sqlite3.connect(single), sqlite3.connect(merged)
assert labels(one) == labels(all_), "merged labels differ from the single process's"
assert questions(one) == questions(all_), "merged labeled questions differ from the single process's"
assert len(labels(one)) > 0, "no labels at all"

shares = []
for i in range(shards):
    db = sqlite3.connect(os.path.join(shard_dir, f"shard-{i}.db"))
    shares.append({q[0] for q in questions(db)})
sizes = sorted(len(s) for s in shares)
assert sizes[-1] - sizes[0] <= 1, f"unbalanced shards: {sizes}"
assert sum(sizes) == len(set().union(*shares)), "shards overlap"

provenance = all_.execute("SELECT q.question, r.origin, r.origin_path FROM labeled_questions q "
                          "JOIN runs r ON r.id = q.run").fetchall()
assert len(provenance) == len(questions(all_)), "a merged question lost its run"
for question, origin, path in provenance:
    i = int(os.path.basename(path)[len("shard-"):-len(".db")])
    assert origin and question in shares[i], f"{question}: provenance {origin} {path} is not its shard"
runs = all_.execute("SELECT origin FROM runs WHERE kind='label'").fetchall()
assert len(runs) == len(set(runs)) == shards, f"label runs after merging twice: {runs}"
print(f"merged == single: {len(labels(one))} labels over {len(questions(one))} questions; shards {sizes}")

#!/usr/bin/env bash
# Issue 16: the Kubernetes manifests (scripts/k8s/*.yaml) as a cluster would run them, without a
# cluster. k8s_pods.py reads each Job, checks what Kubernetes would need of it (an Indexed label Job
# whose completions equal its SHARDS, the pods' volume mounted where the commands write, the merge
# Job's shard glob matching the label Job's file names) and prints every pod's command with the
# environment Kubernetes gives it (JOB_COMPLETION_INDEX); the pods run here one after the other
# with /work mapped to a temporary folder, the fixture split for QASPER and SmolLM2-135M-Instruct
# for the 7B model. The merged workspace must equal one `uae label` process with the same options.
set -euo pipefail
uae=$(realpath "$1"); src=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" && ln -s "$uae" "$work/bin/uae"
export PATH=$work/bin:$PATH
# What the pods find under /work on the shared volume.
mkdir -p "$work/vol/models" && ln -s "$src/tests/data/qasper" "$work/vol/qasper"
# The checker itself: a label Job whose completions differ from its SHARDS is refused, named.
sed 's/^  completions: 8 /  completions: 4 /' "$src/scripts/k8s/label-job.yaml" > "$work/bad-job.yaml"
out=$(python3 "$here/k8s_pods.py" "$work/bad-job.yaml" "$src/scripts/k8s/merge-job.yaml" "$work/vol" 2>&1) &&
  { echo "completions 4 with SHARDS 8 was accepted"; exit 1; }
grep -q "bad-job.yaml: an Indexed Job with completions == SHARDS is needed (completions 4, SHARDS 8)" <<<"$out" ||
  { echo "unexpected: $out"; exit 1; }
python3 "$here/k8s_pods.py" "$src/scripts/k8s/label-job.yaml" "$src/scripts/k8s/merge-job.yaml" "$work/vol" \
  > "$work/pods.sh"
cat "$work/pods.sh"
shards=$(grep -c '^JOB_COMPLETION_INDEX=' "$work/pods.sh")
(cd "$work" && bash "$work/pods.sh" > "$work/pods.log" 2>&1) || { tail -n 40 "$work/pods.log"; exit 1; }
grep "shard-" "$work/pods.log" | tail -n 3

# One process with the label Job's options, as the pods ran them (model and split mapped).
opts=$(python3 "$here/k8s_pods.py" --label-options "$src/scripts/k8s/label-job.yaml" "$work/vol")
eval "uae label --quiet $opts --workspace '$work/single.db'" > /dev/null
# A pod retried after a failure merges again: nothing may change (label_compare checks run counts).
(cd "$work" && bash -c "$(grep '^MERGE=1' "$work/pods.sh" | cut -d' ' -f2-)") > /dev/null
python3 "$here/label_compare.py" "$work/single.db" "$work/vol/uae-workspace.db" "$work/vol/shards" "$shards"

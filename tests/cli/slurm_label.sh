#!/usr/bin/env bash
# Issue 16: sharded labeling on a real Slurm, on one machine. A single-node cluster (controller and
# node daemon on localhost, munge for authentication, everything in a temporary folder) runs
# scripts/slurm/label.sbatch as a 4-task job array over the fixture split and merge.sbatch after
# it (afterok); the merged workspace must hold exactly the labels of one `uae label` process, each
# merged label's run must name the shard it came from, and merging again must change nothing.
# Every daemon started here is stopped on exit, also on failure.
set -euo pipefail
uae=$(realpath "$1"); src=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/slurm_cluster.sh"
slurm_require
work=$(mktemp -d)
cleanup() { slurm_stop; rm -rf "$work"; }
trap cleanup EXIT
data=$src/tests/data/qasper
args=(--scorer dirichlet --split fixture --data "$data")
"$uae" label "${args[@]}" --quiet --workspace "$work/single.db" > /dev/null

mkdir "$work/slurm" "$work/logs"
slurm_start "$work/slurm"
export UAE=$uae UAE_SHARD_DIR=$work/shards UAE_WORKSPACE=$work/merged.db
label=$(sbatch --parsable --array=0-3 --chdir "$work" --output "$work/logs/label-%A_%a.out" \
  "$src/scripts/slurm/label.sbatch" "${args[@]}")
merge=$(sbatch --parsable --dependency=afterok:"$label" --chdir "$work" --output "$work/logs/merge-%j.out" \
  "$src/scripts/slurm/merge.sbatch")
show_logs() { tail -n 30 "$work"/logs/* "$work"/slurm/log/slurm*.log; }
# The array first: a failed task leaves the merge pending for ever (afterok never satisfied).
label_states=$(slurm_wait "$label" 240) || { show_logs; exit 1; }
echo "label array: $(echo $label_states)"
[ "$(echo $label_states)" = "4 JobState=COMPLETED" ] || { show_logs; exit 1; }
merge_states=$(slurm_wait "$merge" 120) || { show_logs; exit 1; }
echo "merge job: $(echo $merge_states)"
[ "$(echo $merge_states)" = "1 JobState=COMPLETED" ] || { show_logs; exit 1; }
cat "$work"/logs/merge-*.out

"$uae" merge --into "$work/merged.db" "$work"/shards/shard-*.db > /dev/null
python3 "$here/label_compare.py" "$work/single.db" "$work/merged.db" "$work/shards" 4

#!/usr/bin/env bash
# Set-up command 1: install what is missing, build, and run the main job on the embedded default:
# label QASPER train with the Dirichlet scorer, train UAE-GloVe on it, rank dev with BM25, GloVe
# and the trained UAE, compare them, and open the comparison in the GUI when a display exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/setup-data.sh"
"$root/scripts/fetch-models.sh"   # real models into the user cache (no-op once fetched)
"$root/scripts/build.sh"
cd "$root"
export UAE_WORKSPACE=${UAE_WORKSPACE:-$root/workspace/uae.db}
mkdir -p "$(dirname "$UAE_WORKSPACE")"
uae=build/app/uae
echo "== 1/4 utility labels (Dirichlet LM) for QASPER train"
$uae label --scorer dirichlet --split train --quiet   # resumes; labels already stored are kept
echo "== 2/4 training UAE-GloVe (soft UM-InfoNCE, 15 epochs, eval on dev)"
$uae train --split train --eval-split dev --quiet
echo "== 3/4 ranking QASPER dev: BM25, GloVe, UAE"
for method in bm25 glove; do
  $uae eval --method "$method" --split dev --quiet | head -1
done
run=$($uae runs | awk '$2 == "train" && $0 ~ /finished/ {id = $1} END {print id}')
$uae eval --method uae --run "$run" --split dev --quiet | head -1
echo "== 4/4 comparison (paired bootstrap, 95% intervals)"
$uae compare glove uae --split dev
$uae compare bm25 uae --split dev
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/uae-workbench --split dev --methods glove,uae
fi

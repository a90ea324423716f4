#!/usr/bin/env bash
# Set-up command 1: install what is missing, build, and run the main job on the embedded default
# (QASPER dev, BM25 against the GloVe bi-encoder): the GUI when a display exists, else the CLI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/setup-data.sh"
"$root/scripts/build.sh"
cd "$root"
export UAE_WORKSPACE=${UAE_WORKSPACE:-$root/workspace/uae.db}
mkdir -p "$(dirname "$UAE_WORKSPACE")"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/uae-workbench --split dev
fi
for method in bm25 glove; do
  build/app/uae eval --method "$method" --split dev --quiet
done
build/app/uae compare bm25 glove --split dev

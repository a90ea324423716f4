#!/usr/bin/env bash
# Set-up command 2: install what is missing, build, and run the whole test suite (GPU tests are
# skipped when no GPU is present; GUI tests run offscreen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/setup-data.sh" --link-only
"$root/scripts/fetch-models.sh"   # real models into the user cache (no-op once fetched)
"$root/scripts/build.sh"
label_filter=(-LE gpu)
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && label_filter=()
QT_QPA_PLATFORM=offscreen ctest --test-dir "$root/build" --output-on-failure -j2 "${label_filter[@]}"

#!/usr/bin/env bash
# Makes datasets/qasper and models/glove-6B-100d-top50k available to the workbench.
# On the team's machines they are links to ../shared (read-only, never copied into the repo);
# elsewhere the official QASPER release and GloVe 6B are downloaded into the ignored .cache/.
set -euo pipefail
# --link-only: make the links to ../shared where it exists, never download (tests use this).
link_only=false; [ "${1:-}" = --link-only ] && link_only=true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p datasets models
# A link left dangling (the checkout moved) is made again.
for l in datasets/qasper models/glove-6B-100d-top50k; do
  if [ -L "$l" ] && [ ! -e "$l" ]; then rm "$l"; fi
done

if [ ! -e datasets/qasper ]; then
  if [ -d ../shared/datasets/qasper ]; then
    ln -s ../../shared/datasets/qasper datasets/qasper
  elif ! $link_only; then
    mkdir -p .cache/qasper
    url=https://qasper-dataset.s3.us-west-2.amazonaws.com/qasper-train-dev-v0.3.tgz
    echo "fetching the official QASPER release: $url"
    curl -fL --retry 3 -o .cache/qasper-train-dev-v0.3.tgz "$url"
    tar -xzf .cache/qasper-train-dev-v0.3.tgz -C .cache/qasper
    ln -s ../.cache/qasper datasets/qasper
  fi
fi

if [ ! -e models/glove-6B-100d-top50k ]; then
  if [ -d ../shared/models/glove-6B-100d-top50k ]; then
    ln -s ../../shared/models/glove-6B-100d-top50k models/glove-6B-100d-top50k
  elif ! $link_only; then
    mkdir -p .cache
    url=https://nlp.stanford.edu/data/glove.6B.zip
    echo "fetching GloVe 6B: $url"
    [ -f .cache/glove.6B.zip ] || curl -fL --retry 3 -o .cache/glove.6B.zip "$url"
    unzip -o -j .cache/glove.6B.zip glove.6B.100d.txt -d .cache
    python3 scripts/glove_to_safetensors.py .cache/glove.6B.100d.txt 50000 .cache/glove-6B-100d-top50k
    ln -s ../.cache/glove-6B-100d-top50k models/glove-6B-100d-top50k
  fi
fi
echo "QASPER: $(readlink -f datasets/qasper 2>/dev/null || echo 'not set up')"
echo "GloVe:  $(readlink -f models/glove-6B-100d-top50k 2>/dev/null || echo 'not set up')"

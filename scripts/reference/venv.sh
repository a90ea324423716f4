#!/usr/bin/env bash
# Creates or updates the reference Python venv (torch, transformers, sentence-transformers,
# tokenizers, safetensors, gguf, accelerate, numpy) at ${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv,
# outside the clone. Versions are pinned in scripts/reference/requirements.txt; a stamp file in the
# venv holds the list that was installed, so a re-run with unchanged pins does nothing.
#   scripts/reference/venv.sh            create/update, then print the versions
#   UAE_VENV=DIR scripts/reference/venv.sh   use another location
#   PYTHON=python3.12 scripts/reference/venv.sh   base interpreter (default python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/requirements.txt"
venv="${UAE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv}"
stamp="$venv/.uae-requirements"
python="${PYTHON:-python3}"

if [[ -x "$venv/bin/python" && -f "$stamp" ]] && cmp -s "$req" "$stamp"; then
    echo "venv up to date: $venv"
    exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating venv $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi
rm -f "$stamp"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"

"$venv/bin/python" - <<'PY'
import sys
import accelerate, gguf, numpy, safetensors, sentence_transformers, tokenizers, torch, transformers
from importlib.metadata import version
if not torch.compiled_with_cxx11_abi():
    sys.exit("venv.sh: this torch wheel uses the old C++ ABI; Debian's Qt and FAISS need the C++11 ABI")
for name in ["torch", "transformers", "sentence-transformers", "tokenizers", "huggingface-hub",
             "safetensors", "gguf", "accelerate", "numpy"]:
    try:
        print(f"{name:22s}{version(name)}")
    except Exception:
        pass
print(f"{'python':22s}{sys.version.split()[0]}")
print(f"{'cxx11 abi':22s}{torch.compiled_with_cxx11_abi()}")
print(f"{'cmake prefix':22s}{torch.utils.cmake_prefix_path}")
PY
cp "$req" "$stamp"
echo "venv ready: $venv"

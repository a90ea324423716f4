#!/usr/bin/env bash
# Downloads (here, on Debian 12) the .deb files that scripts/device/gpu_check.sh unpacks on the GPU
# machine, into <repo>/.devdeps/ (ignored through .git/info/exclude; carried with carry [".devdeps"]).
#
#   bash scripts/device/fetch_debs.sh [--no-qt] [--dest DIR]
#     --no-qt     only what the `uae` CLI alone needs (-DUAE_BUILD_TESTS=OFF -DUAE_BUILD_GUI=OFF: no Qt):
#                 FAISS, BLAS/LAPACK, JSON, CLI11, utf8proc, SQLite, ~6.5 MiB; scripts/gpu/paper.sh
#                 uses this set (scripts/gpu/pack_paper.sh calls it with --dest .devpaper/debs)
#     --dest DIR  where the .deb files go (default <repo>/.devdeps)
#
# The GPU machine (Ubuntu-like image, CUDA, PyTorch with its LibTorch, CMake, ninja, g++) has no Qt,
# FAISS, nlohmann-json, utf8proc or SQLite headers, and no package registry. What is fetched, and why:
#   FAISS        libfaiss-dev (static libfaiss.a + CMake config). Its config links
#                /usr/lib/x86_64-linux-gnu/lib{blas,lapack}.so by absolute path (sgemm_, sgeqrf_,
#                sorgqr_ ...): gpu_check.sh rewrites those to the unpacked reference BLAS/LAPACK
#                (libblas3, liblapack3: 2.5 MB, against 6.7 MB for OpenBLAS; FAISS speed does not
#                matter for a GPU check) and their libgfortran5 + libquadmath0.
#   JSON, Unicode, SQLite  nlohmann-json3-dev, libcli11-dev (CLI parsing), libutf8proc-dev + libutf8proc2, libsqlite3-dev + libsqlite3-0.
#   Qt 6.4 Core + Test     qt6-base-dev (headers, CMake configs), qmake6 (only for mkspecs/linux-g++,
#                which Qt6::Platform names as an include directory), qt6-base-dev-tools (moc),
#                libqt6core6, libqt6test6 and what libQt6Core.so.6 needs beyond a base image:
#                libicu72 (the largest: 9.4 MB), libdouble-conversion3, libb2-1, libpcre2-16-0,
#                libglib2.0-0. Left out on purpose (in any Ubuntu base image, or from g++): libc6,
#                libstdc++6, libgcc-s1, libgomp1, zlib1g, libzstd1, libpcre2-8-0.
# Also copies ../shared/models/stories260K (1 MiB) into .devmodels/. Nothing is installed here; the
# files are only downloaded. Prints the total size: keep .devdeps plus
# .devmodels plus the working tree well under the device tool's 64 MiB.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest="$root/.devdeps"
with_qt=1
while (($#)); do
    case "$1" in
    --no-qt) with_qt=0 ;;
    --dest) dest=$(realpath -m "${2:?--dest needs a folder}"); shift ;;
    *) echo "usage: $0 [--no-qt] [--dest DIR]" >&2; exit 2 ;;
    esac
    shift
done

packages=(
    libfaiss-dev libblas3 liblapack3 libgfortran5 libquadmath0
    nlohmann-json3-dev libcli11-dev libutf8proc-dev libutf8proc2 libsqlite3-dev libsqlite3-0
)
if [[ $with_qt == 1 ]]; then
    packages+=(qt6-base-dev qt6-base-dev-tools qmake6 libqt6core6 libqt6test6
               libicu72 libdouble-conversion3 libb2-1 libpcre2-16-0 libglib2.0-0)
fi

# Ignore the carried folders (and the device build folders, which /build*/ in .gitignore covers).
exclude=$(git -C "$root" rev-parse --path-format=absolute --git-path info/exclude) # shared by worktrees
mkdir -p "$(dirname "$exclude")"
touch "$exclude"
for pattern in /.devdeps/ /.devmodels/ /.devpaper/ /.devpaper-parts/; do
    grep -qxF "$pattern" "$exclude" || echo "$pattern" >>"$exclude"
done

mkdir -p "$dest"
rm -f "$dest"/*.deb
cd "$dest"
echo "== fetch_debs: apt-get download ${#packages[@]} packages into $dest"
# apt-get download as root warns that _apt cannot write here; the download itself works.
if ! apt-get download "${packages[@]}" 2> >(grep -v "^W: Download is performed unsandboxed" >&2); then
    echo "fetch_debs: apt-get download failed; try 'apt-get update' first" >&2
    exit 1
fi
for p in "${packages[@]}"; do
    compgen -G "${p}_*.deb" >/dev/null || { echo "fetch_debs: $p was not downloaded" >&2; exit 1; }
done
sha256sum -- *.deb >SHA256SUMS

# The llama2.c checkpoint with a tokenizer (1 MiB) that tst_causal_lm, tst_gpu and `uae generate`
# use from ../shared/models, which does not travel: gpu_check.sh puts it back there.
stories="$root/../shared/models/stories260K"
if [[ $with_qt == 0 ]]; then
    : # the CLI-only set: no test models
elif [[ -f "$stories/stories260K.bin" ]]; then
    mkdir -p "$root/.devmodels"
    rm -rf "$root/.devmodels/stories260K"
    cp -r "$stories" "$root/.devmodels/stories260K"
    chmod -R u+w "$root/.devmodels/stories260K"
    echo "== fetch_debs: copied $stories to .devmodels/stories260K ($(du -sh "$root/.devmodels/stories260K" | cut -f1))"
else
    echo "== fetch_debs: no $stories (tst_causal_lm and the stories260K checks will skip on the GPU machine)"
fi
ls -l -- *.deb | awk '{printf "%10d  %s\n", $5, $9}'
total=$(du -cb -- *.deb | tail -1 | cut -f1)
printf '== fetch_debs: %d files, %.1f MiB in %s\n' "$(ls -1 -- *.deb | wc -l)" "$(echo "$total / 1048576" | bc -l)" "$dest"
[[ $with_qt == 1 ]] || exit 0 # the caller (pack_paper.sh) prints its own total
tree=$(cd "$root" && git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
models=0
[[ -d "$root/.devmodels" ]] && models=$(du -sb "$root/.devmodels" | cut -f1)
printf '== carried in all: working tree %.1f MiB + .devdeps %.1f MiB + .devmodels %.1f MiB = %.1f MiB (limit 64 MiB)\n' \
    "$(echo "$tree / 1048576" | bc -l)" "$(echo "$total / 1048576" | bc -l)" "$(echo "$models / 1048576" | bc -l)" \
    "$(echo "($tree + $total + $models) / 1048576" | bc -l)"

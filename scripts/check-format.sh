#!/usr/bin/env bash
# Checks the C++ sources against the committed .clang-format; exits 1 when any file differs.
#
#   scripts/check-format.sh [--fix] [paths...]
#     --fix   format the files in place instead of checking them
#     paths   files or folders to check instead of core/ app/ ui/ tests/ bench/
#
# Uses $CLANG_FORMAT, else clang-format-14, else clang-format. A folder of this git checkout is
# listed with `git ls-files` (tracked and untracked, not ignored: build outputs are never
# touched); other folders with find. The style is always this repository's .clang-format.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fix=0
paths=()
while (($#)); do
    case "$1" in
    --fix) fix=1; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "check-format.sh: unknown option $1" >&2; exit 2 ;;
    *) paths+=("$(realpath "$1")"); shift ;;
    esac
done

tool=${CLANG_FORMAT:-}
if [[ -z $tool ]]; then
    for t in clang-format-14 clang-format; do
        if command -v "$t" >/dev/null; then tool=$t; break; fi
    done
fi
if [[ -z $tool ]]; then
    echo "check-format.sh: clang-format not found (install clang-format-14 or set CLANG_FORMAT)" >&2
    exit 2
fi

cd "$root"
((${#paths[@]})) || paths=("$root/core" "$root/app" "$root/ui" "$root/tests" "$root/bench")
files=()
for p in "${paths[@]}"; do
    if [[ -f $p ]]; then
        files+=("$p")
    elif [[ -d $p ]]; then
        if [[ $p/ == "$root"/* ]] && git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
            while IFS= read -r -d '' f; do files+=("$root/$f"); done < <(
                git -C "$root" ls-files -z --cached --others --exclude-standard -- "$p" |
                    grep -zE '\.(cpp|h|hpp|cc)$' || true)
        else
            while IFS= read -r -d '' f; do files+=("$f"); done < <(
                find "$p" -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.cc' \) -print0)
        fi
    else
        echo "check-format.sh: no such file or folder: $p" >&2
        exit 2
    fi
done
((${#files[@]})) || { echo "check-format.sh: no C++ files found" >&2; exit 0; }

# --style=file:<path> pins the repository's style even for files outside the tree.
style="--style=file:$root/.clang-format"
if ((fix)); then
    printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$tool" "$style" -i
    echo "formatted ${#files[@]} file(s) with $tool"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    if ! "$tool" "$style" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "${f#"$root/"}"
        bad=$((bad + 1))
    fi
done
if ((bad)); then
    echo "$bad of ${#files[@]} file(s) differ from .clang-format; see the changes with" \
        "'$tool $style --dry-run FILE', or run scripts/check-format.sh --fix" >&2
    exit 1
fi
echo "all ${#files[@]} file(s) match .clang-format"

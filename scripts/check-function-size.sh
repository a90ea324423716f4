#!/usr/bin/env bash
# Lists functions longer than a limit (default 80 lines) in core/, app/ and ui/ and exits 1 when
# any is not in the allow-list. A function's length counts from the first line of its signature
# to its closing brace (clang-tidy's readability-function-size counts the body: one line fewer
# for a one-line signature). STYLE.md aims for <= 60; 80 is the hard limit checked here.
#
#   scripts/check-function-size.sh [--limit N] [--all] [paths...]
#     --limit N  report functions over N lines (default 80)
#     --all      also report allow-listed functions (marked "allowed")
#     paths      files or folders to scan instead of core/ app/ ui/
#
# Allow-list: scripts/function-size-allow.txt, one "path:function  # reason" a line (the function
# as printed by this script, e.g. core/src/foo.cpp:Foo::bar). Blank lines and # comments ignored.
#
# The scan is a brace-matching heuristic over the text (comments, strings and character literals
# blanked out), not a compiler: a function body is a "{" opened at namespace or class scope whose
# preceding declaration has a parameter list. Cross-check with clang-tidy when in doubt:
#   clang-tidy -p build -checks='-*,readability-function-size' \
#     -config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: 80}]}" FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
limit=80
all=0
paths=()
while (($#)); do
    case "$1" in
    --limit) limit="$2"; shift 2 ;;
    --all) all=1; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) paths+=("$1"); shift ;;
    esac
done
cd "$root"
((${#paths[@]})) || paths=(core app ui)

exec python3 - "$limit" "$all" "scripts/function-size-allow.txt" "${paths[@]}" <<'PY'
import os, re, signal, sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head

limit, show_all, allow_file, paths = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3], sys.argv[4:]

def blank(text):
    """Comments, string and char literals replaced by spaces; newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i-1].isalnum() or text[i-1] == "_")):
            m = re.match(r'R"([^()\\ ]{0,16})\(', text[i:])
            if not m:
                out.append(c); i += 1; continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i+2:j])); i = j
        elif c == '"' or (c == "'" and not re.search(r"\b\d\w*$", text[max(0, i-40):i])):  # 1'000
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else "")); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)

SCOPE = re.compile(r'\b(namespace|class|struct|union|enum)\b[^()]*$|\bextern\s*"\s*"\s*$')

def functions(path):
    text = blank(open(path, encoding="utf-8", errors="replace").read())
    stack = []           # per open brace: "scope" or ("func", name, first line) or "other"
    decl_start = 0       # offset where the current declaration began
    for i, c in enumerate(text):
        if c in ";{}" and (not stack or stack[-1] == "scope"):
            if c == "{":
                head = text[decl_start:i]
                flat = " ".join(head.split())
                if SCOPE.search(flat):
                    stack.append("scope")
                    decl_start = i + 1
                elif ("(" not in flat or re.search(r"=\s*$", flat)
                      or re.search(r"\)\s*(noexcept\s*)?:[^:].*\w\s*$", flat)):
                    stack.append("other")  # initializer, or a member's brace-init in a ctor list
                else:
                    before = flat.split("(")[0].split()
                    name = before[-1] if before else "(lambda)"
                    lead = len(head) - len(head.lstrip())
                    first = text.count("\n", 0, decl_start + lead) + 1
                    stack.append(("func", name, first))
                    decl_start = i + 1
            elif c == ";":
                decl_start = i + 1
            elif stack:  # "}" closing a namespace or class
                stack.pop()
                decl_start = i + 1
            continue
        if c == "{":
            stack.append("other")
        elif c == "}" and stack:
            top = stack.pop()
            if isinstance(top, tuple):
                last = text.count("\n", 0, i) + 1
                yield top[1], top[2], last - top[2] + 1
                decl_start = i + 1
        elif c == "#" and (not stack or stack[-1] == "scope"):
            # preprocessor line at namespace scope: not part of the next declaration
            if text[decl_start:i].strip() == "":
                j = text.find("\n", i)
                while j > 0 and text[j-1] == "\\":
                    j = text.find("\n", j + 1)
                decl_start = (len(text) if j < 0 else j + 1)

def sources(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for d, _, files in os.walk(p):
            for f in sorted(files):
                if f.endswith((".cpp", ".h", ".hpp", ".cc")):
                    yield os.path.join(d, f)

allowed = {}
if os.path.exists(allow_file):
    for line in open(allow_file):
        key, _, reason = line.partition("#")
        if key.strip():
            allowed[key.strip()] = reason.strip()

bad = 0
for path in sorted(sources(paths)):
    for name, first, length in functions(path):
        if length <= limit:
            continue
        key = f"{path}:{name}"
        if key in allowed:
            if show_all:
                print(f"{path}:{first}: {name}: {length} lines (allowed: {allowed[key]})")
            continue
        print(f"{path}:{first}: {name}: {length} lines (limit {limit})")
        bad += 1
if bad:
    print(f"{bad} function(s) over {limit} lines")
sys.exit(1 if bad else 0)
PY

#!/usr/bin/env bash
# Load on one workspace (issue 13): PROCS concurrent `uae eval` / `uae label` loops and the GUI's
# own evaluation jobs, all writing to one SQLite workspace for MINUTES; then the workspace is
# checked: PRAGMA integrity_check, no run left running or failed, and every stored run holds
# exactly the rows it reports (results per eval run, labels per label run).
#   scripts/stress.sh [MINUTES=3] [PROCS=4]      (after scripts/build.sh; QASPER dev from ../shared)
set -euo pipefail
minutes=${1:-3}; procs=${2:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
uae=$root/build/app/uae; gui=$root/build/app/uae-workbench
data=${UAE_QASPER_DIR:-$root/../shared/datasets/qasper}
glove=${UAE_GLOVE_DIR:-$root/../shared/models/glove-6B-100d-top50k}
[ -x "$uae" ] || { echo "stress: build first (scripts/build.sh)"; exit 1; }
[ -d "$data" ] && [ -d "$glove" ] || { echo "stress: needs QASPER ($data) and GloVe ($glove)"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
ws=$work/ws.db
deadline=$((SECONDS + minutes * 60))
export UAE_GLOVE_DIR=$glove QT_QPA_PLATFORM=offscreen

# One CLI worker: eval BM25, eval GloVe, label (a fresh Dirichlet mu each time, so every label run
# has questions to write), round and round until the deadline. Exit codes are logged, not fatal.
worker() {
  local i=$1 n=0 rc
  while [ $SECONDS -lt $deadline ]; do
    case $((n % 3)) in
      0) "$uae" eval --method bm25 --split dev --limit 60 --data "$data" --workspace "$ws" --quiet >/dev/null 2>>"$work/err.$i"; rc=$? ;;
      1) "$uae" eval --method glove --split dev --limit 40 --data "$data" --workspace "$ws" --quiet >/dev/null 2>>"$work/err.$i"; rc=$? ;;
      2) "$uae" label --split dev --limit 20 --mu $((100 + 1000 * i + n)) --data "$data" --workspace "$ws" --quiet >/dev/null 2>>"$work/err.$i"; rc=$? ;;
    esac
    echo "$rc" >> "$work/rc.$i"; n=$((n + 1))
  done
}

# The GUI: started on dev, it evaluates its two default methods in its job runner on the whole
# split; it is closed (SIGTERM) after 75 s whether its jobs finished or not, then started again.
gui_loop() {
  local pid
  while [ $SECONDS -lt $deadline ]; do
    "$gui" --workspace "$ws" --data "$data" --split dev >/dev/null 2>>"$work/err.gui" &
    pid=$!; echo "$pid" >> "$work/gui.pids"
    for _ in $(seq 75); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
}

set +e
"$uae" runs --workspace "$ws" >/dev/null   # create the workspace before the race (also raced in tests)
for i in $(seq 1 "$procs"); do worker "$i" & done
[ -x "$gui" ] && gui_loop &
wait
set -e
"$uae" runs --workspace "$ws" >/dev/null 2>&1 || true   # marks runs of killed GUIs interrupted
cat "$work"/rc.* | sort | uniq -c | sed 's/^/  exit codes: /'
python3 - "$ws" "$minutes" "$procs" "$work" <<'PY'
import glob, os, sqlite3, sys
ws, minutes, procs, work = sys.argv[1:5]
gui_pids = open(work + "/gui.pids").read().split() if os.path.exists(work + "/gui.pids") else []
db = sqlite3.connect(ws)
gui_runs = dict(db.execute("SELECT status, count(*) FROM runs WHERE pid IN (%s) GROUP BY status" %
                           ",".join(gui_pids or ["-1"])).fetchall())
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
status = dict(db.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
bad = []
for run, method, limit in db.execute(
        "SELECT id, method, json_extract(config, '$.limit') FROM runs WHERE kind='eval' AND status='finished'"):
    n = db.execute("SELECT count(*) FROM question_results WHERE run=?", (run,)).fetchone()[0]
    want = limit if limit else 1005
    if n != want:
        bad.append(f"eval run {run} ({method}) holds {n} results, expected {want}")
for (run,) in db.execute("SELECT id FROM runs WHERE kind='label' AND status='finished'").fetchall():
    now = db.execute("SELECT value FROM metrics WHERE run=? AND name='labeled_now'", (run,)).fetchone()
    q, cand = db.execute("SELECT count(*), coalesce(sum(candidates),0) FROM labeled_questions WHERE run=?", (run,)).fetchone()
    rows = db.execute("SELECT count(*) FROM labels WHERE run=?", (run,)).fetchone()[0]
    if now is None or int(now[0]) != q or cand != rows:
        bad.append(f"label run {run}: reports {now and now[0]} questions, holds {q} with {rows} labels for {cand} candidates")
results = db.execute("SELECT count(*) FROM question_results").fetchone()[0]
labels = db.execute("SELECT count(*) FROM labels").fetchone()[0]
failed = db.execute("SELECT id, error FROM runs WHERE status IN ('failed','running')").fetchall()
if not gui_runs.get("finished") and gui_pids:
    bad.append("the GUI finished no evaluation job")
errors = sum(len(open(f).read().strip().splitlines()) for f in glob.glob(work + "/err.[0-9]*"))
print(f"stress: {procs} CLI processes + the GUI ({len(gui_pids)} starts, its runs {gui_runs}) for {minutes} min on one workspace")
print(f"  runs by status: {status}")
print(f"  rows written: {results} question results, {labels} labels; mismatched runs: {len(bad)}")
print(f"  failed or still running: {len(failed)}; CLI error lines: {errors}; integrity_check: {integrity}")
for b in bad[:10]: print("  MISMATCH", b)
for f in failed[:10]: print("  FAILED", f)
sys.exit(0 if integrity == "ok" and not bad and not failed else 1)
PY

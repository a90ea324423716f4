#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -DUAE_FUZZ=ON, into build-fuzz/) when needed and runs each
# one for SECONDS (default 60), printing per target its executions, exec/s, corpus size and
# whether it found a crash, leak, timeout or UB report.
#   scripts/fuzz.sh [SECONDS] [TARGET...]        e.g. scripts/fuzz.sh 600 fuzz_gguf
# Seeds: tests/fuzz/corpus/<target>/ (read only). The growing corpus is build-fuzz/corpus/<target>/
# and crashing inputs land in build-fuzz/artifacts/<target>/: keep a crash as a regression seed
# by copying it into tests/fuzz/corpus/<target>/ once it is fixed.
# Environment: UAE_FUZZ_BUILD (build dir), JOBS (build jobs, default 2), FUZZ_ARGS (extra libFuzzer
# flags), UAE_FUZZ_NO_BUILD=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[[ $# -gt 0 ]] && shift
build=${UAE_FUZZ_BUILD:-$root/build-fuzz}
jobs=${JOBS:-2}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
all=(fuzz_safetensors fuzz_gguf fuzz_qasper fuzz_wordpiece fuzz_bpe fuzz_llama2c fuzz_bert_config
     fuzz_embedding_cache fuzz_workspace fuzz_beir fuzz_trec_run)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")

if [[ ${UAE_FUZZ_NO_BUILD:-0} != 1 ]]; then
  if [[ ! -f $build/CMakeCache.txt ]]; then
    cxx=${CXX:-$(command -v clang++ || command -v clang++-14 || true)}
    [[ -n $cxx ]] || { echo "fuzz.sh: clang++ not found (libFuzzer needs clang)" >&2; exit 2; }
    CXX=$cxx cmake -S "$root" -B "$build" -DUAE_FUZZ=ON -DUAE_BUILD_GUI=OFF -DUAE_BUILD_TESTS=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" >/dev/null
  fi
  nice -n 10 cmake --build "$build" --target uae_fuzz -j"$jobs"
fi

# The first report ends the run; libFuzzer writes the input that caused it as an artifact.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
printf '%-22s %12s %9s %7s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  exe=$build/tests/fuzz/$t
  corpus=$build/corpus/$t
  artifacts=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  rc=0
  # -rss_limit_mb: a loader that allocates what a lying header asks for is a finding, not a hang.
  nice -n 10 "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -use_value_profile=1 -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} \
    "$corpus" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  execs=$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  rate=$(grep -a -o 'stat::average_exec_per_sec: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  size=$(find "$corpus" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    result=ok
  else
    status=1
    kind=$(grep -a -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+|runtime error: .*|deadly signal|out-of-memory|timeout' "$log" || echo "exit $rc")
    result="FINDING: $kind (see $log, input in $artifacts/)"
  fi
  printf '%-22s %12s %9s %7s  %s\n' "$t" "$execs" "$rate" "$size" "$result"
done
exit $status

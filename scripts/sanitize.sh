#!/usr/bin/env bash
# Builds core, the CLI and the tests with ASan+UBSan into build-sanitize/ (GUI off) and runs the
# ctest suite labelled unit|model|cli (never gpu) under the sanitizers. Any report fails its test.
#   scripts/sanitize.sh [SANITIZERS] [-- extra ctest arguments]   (default address,undefined)
# Environment: UAE_SANITIZE_BUILD (build dir), JOBS (default 2), UAE_SANITIZE_NO_BUILD=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitizers=address,undefined
if [[ $# -gt 0 && $1 != -- ]]; then sanitizers=$1; shift; fi
[[ ${1:-} == -- ]] && shift
build=${UAE_SANITIZE_BUILD:-$root/build-sanitize}
jobs=${JOBS:-2}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
start=$(date +%s)

if [[ ${UAE_SANITIZE_NO_BUILD:-0} != 1 ]]; then
  # -O1 -g1 keeps stack traces readable and the build affordable; asserts stay on (no NDEBUG).
  cmake -S "$root" -B "$build" -DUAE_SANITIZE="$sanitizers" -DUAE_BUILD_GUI=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" >/dev/null
  nice -n 10 cmake --build "$build" -j"$jobs"
fi
built=$(date +%s)

supp=$root/scripts/sanitize
# halt_on_error: the first report ends the process (and fails its test); print_stacktrace: UBSan
# says where. detect_leaks stays on for our code; lsan.supp names what the uninstrumented
# libraries (LibTorch, OpenMP, ...) keep until exit. See the comments in each suppressions file.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=0:suppressions=$supp/asan.supp${UAE_ASAN_EXTRA:+:$UAE_ASAN_EXTRA}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp
export LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
export QT_QPA_PLATFORM=offscreen
status=0
# format/function_size/gpu_paper_script run no instrumented code: the normal build covers them.
ctest --test-dir "$build" -L 'unit|model|cli' -LE gpu -E '^(format|function_size|gpu_paper_script)$' \
  --output-on-failure -j"$jobs" "$@" || status=$?
end=$(date +%s)
echo "sanitize ($sanitizers): build $((built - start)) s, tests $((end - built)) s, exit $status"
exit $status

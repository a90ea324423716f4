#!/usr/bin/env bash
# Builds the headless part of the workbench (uae_core, the uae CLI, benches and the Qt Test
# suites; no GUI) against LibTorch 2.x taken from the reference venv's torch wheel, into
# build-torch2/, then runs the unit and model tests there. Proves the code builds and passes on
# LibTorch 2.x as well as on Debian's LibTorch 1.13 (build/).
#
#   scripts/build-torch2.sh [extra CMake arguments]
#
# Environment:
#   UAE_VENV=DIR               reference venv (default ${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv;
#                              created by scripts/reference/venv.sh when missing)
#   UAE_TORCH2_BUILD_DIR=DIR   build folder (default <repo>/build-torch2)
#   UAE_TORCH2_CUDA=shim|toolkit
#                              how the wheel's CUDA half of LibTorch is satisfied at configure time:
#                              shim (default) needs no CUDA toolkit at all; toolkit runs Caffe2's own
#                              CUDA detection with an installed nvcc (CUDACXX, /usr/local/cuda or PATH).
#   TORCH_CUDA_ARCH_LIST       toolkit mode only: GPU architectures (default "8.0;9.0"); setting it
#                              keeps Caffe2 from probing for a GPU at configure time
#   UAE_JOBS=N                 parallel compile jobs (default: nproc)
#   UAE_CTEST_LABELS=REGEX     ctest -L (default 'unit|model')
#   UAE_CTEST_EXCLUDE=REGEX    ctest -E (default: none)
#   UAE_SKIP_TESTS=1           configure and build only
#
# Why the CMake arguments are what they are:
#   CMAKE_PREFIX_PATH = <torch>/share/cmake;<torch>
#       The first finds TorchConfig.cmake. The second matters as much: TorchConfig looks for
#       libtorch.so and libc10.so with find_library(... PATHS <torch>/lib), and CMake searches the
#       system folders before PATHS, so on a machine with Debian's libtorch-dev it would link
#       Debian's LibTorch 1.13 libc10.so next to the wheel's 2.x libtorch_cpu.so (the binary then
#       aborts at start-up in c10::DispatchKeySet). With <torch> as a prefix, <torch>/lib wins.
#   CUDA (the PyPI Linux wheel is the CUDA build; Caffe2Config.cmake refuses to load unless its
#   public/cuda.cmake succeeds):
#     shim:    CMAKE_PROJECT_INCLUDE=<build>/torch2-cuda-shim.cmake defines the imported target
#              torch::cudart before find_package(Torch). cuda.cmake starts with
#              `if(TARGET torch::cudart) return()`, so no CUDA toolkit is looked for. Nothing in this
#              project calls the CUDA runtime itself; libtorch_cuda.so and libc10_cuda.so carry
#              DT_NEEDED libcudart.so.12 etc. and an $ORIGIN RUNPATH into the venv's nvidia/* wheels,
#              so the binaries load those on any machine, GPU or not.
#     toolkit: CUDA_TOOLKIT_ROOT_DIR / CMAKE_CUDA_COMPILER point at an installed toolkit (any
#              version: only its nvcc and headers are used at configure time; the CUDA libraries
#              torch links are the wheel's); CMAKE_CUDA_STANDARD=17 because cuda.cmake copies
#              CMAKE_CXX_STANDARD (20) and CMake 3.25 does not know CUDA20 for nvcc;
#              TORCH_CUDA_ARCH_LIST so that no GPU probe runs.
#   UAE_BUILD_GUI=OFF: the target machines for LibTorch 2.x (GPU hosts) have no Qt Widgets; the
#       tests need only Qt Core and Test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${UAE_TORCH2_BUILD_DIR:-$root/build-torch2}"
venv="${UAE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/venv}"
cuda_mode="${UAE_TORCH2_CUDA:-shim}"
jobs="${UAE_JOBS:-$(nproc)}"
labels="${UAE_CTEST_LABELS:-unit|model}"
exclude="${UAE_CTEST_EXCLUDE:-}"

die() {
    echo "build-torch2: FAILED: $*" >&2
    exit 1
}
step() { echo "== build-torch2: $* ($(date +%H:%M:%S))"; }
t0=$(date +%s)

# 1. The reference venv (torch 2.x wheel); a no-op when it is up to date.
step "reference venv $venv"
UAE_VENV="$venv" "$root/scripts/reference/venv.sh" || die "scripts/reference/venv.sh could not create the venv $venv"
py="$venv/bin/python"
[[ -x "$py" ]] || die "no python in the venv $venv"

# 2. Where the wheel's LibTorch is, and whether it can be mixed with Debian's Qt and FAISS.
step "inspecting the torch wheel"
torch_info=$("$py" - <<'PY'
import os, sys
import torch, torch.utils
print(torch.__version__)
print(torch.utils.cmake_prefix_path)
print(os.path.dirname(torch.__file__))
print(int(torch.compiled_with_cxx11_abi()))
print(torch.version.cuda or "none")
PY
) || die "cannot import torch from $py"
{ read -r torch_version; read -r torch_cmake; read -r torch_prefix; read -r torch_abi; read -r torch_cuda; } <<<"$torch_info"
echo "torch $torch_version (CUDA $torch_cuda), cmake prefix $torch_cmake"
[[ "$torch_version" =~ ^([0-9]+)\. ]] && (( BASH_REMATCH[1] >= 2 )) \
    || die "the venv's torch is $torch_version; this build is for LibTorch 2.x"
[[ "$torch_abi" == 1 ]] \
    || die "torch $torch_version was built with the old C++ ABI (compiled_with_cxx11_abi() is False); Debian's Qt and FAISS use the C++11 ABI"
[[ -f "$torch_cmake/Torch/TorchConfig.cmake" ]] || die "no Torch/TorchConfig.cmake under $torch_cmake"
[[ -f "$torch_prefix/lib/libtorch.so" && -f "$torch_prefix/lib/libc10.so" ]] \
    || die "no lib/libtorch.so or lib/libc10.so under $torch_prefix"

# 3. Configure.
mkdir -p "$build"
cmake_args=(
    -S "$root" -B "$build"
    -DCMAKE_BUILD_TYPE=Release
    -DUAE_BUILD_GUI=OFF
    -DUAE_BUILD_TESTS=ON
    "-DCMAKE_PREFIX_PATH=$torch_cmake;$torch_prefix"
)
case "$cuda_mode" in
shim)
    shim="$build/torch2-cuda-shim.cmake"
    cat >"$shim" <<'CMAKE'
# Written by scripts/build-torch2.sh. Included after project(): satisfies the include guard of
# Caffe2's public/cuda.cmake, so the CUDA build of LibTorch configures without a CUDA toolkit.
# libtorch_cuda.so finds libcudart.so.12 through its own RUNPATH (the venv's nvidia/* wheels).
if(NOT TARGET torch::cudart)
  add_library(torch::cudart INTERFACE IMPORTED)
endif()
CMAKE
    cmake_args+=("-DCMAKE_PROJECT_INCLUDE=$shim")
    ;;
toolkit)
    nvcc="${CUDACXX:-}"
    [[ -n "$nvcc" ]] || nvcc=$(command -v nvcc || true)
    [[ -n "$nvcc" || ! -x /usr/local/cuda/bin/nvcc ]] || nvcc=/usr/local/cuda/bin/nvcc
    [[ -n "$nvcc" && -x "$nvcc" ]] || die "UAE_TORCH2_CUDA=toolkit but no nvcc (set CUDACXX, or use the default shim mode)"
    cuda_root=$(cd "$(dirname "$nvcc")/.." && pwd)
    cmake_args+=(
        -UCMAKE_PROJECT_INCLUDE
        "-DCMAKE_CUDA_COMPILER=$nvcc"
        "-DCUDA_TOOLKIT_ROOT_DIR=$cuda_root"
        -DCMAKE_CUDA_STANDARD=17
        "-DTORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-8.0;9.0}"
    )
    ;;
*) die "UAE_TORCH2_CUDA must be shim or toolkit, not '$cuda_mode'" ;;
esac
# Switching CUDA modes in one build folder would leave the other mode's cache entries behind.
mode_stamp="$build/.uae-torch2-cuda-mode"
if [[ -f "$build/CMakeCache.txt" ]] && ! [[ -f "$mode_stamp" && "$(cat "$mode_stamp")" == "$cuda_mode" ]]; then
    echo "CUDA mode changed: reconfiguring $build from scratch"
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
fi
step "configuring $build (CUDA: $cuda_mode)"
cmake "${cmake_args[@]}" "$@" >"$build/configure.log" 2>&1 \
    || { tail -n 40 "$build/configure.log" >&2; die "CMake configure failed (log: $build/configure.log)"; }
echo "$cuda_mode" >"$mode_stamp"
torch_dir=$(sed -n 's/^Torch_DIR:PATH=//p' "$build/CMakeCache.txt")
torch_lib=$(sed -n 's/^TORCH_LIBRARY:FILEPATH=//p' "$build/CMakeCache.txt")
c10_lib=$(sed -n 's/^c10_LIBRARY:FILEPATH=//p' "$build/CMakeCache.txt")
echo "Torch_DIR=$torch_dir"
[[ "$(realpath "$torch_dir")" == "$(realpath "$torch_cmake/Torch")" ]] \
    || die "CMake found Torch at $torch_dir, not the venv's $torch_cmake/Torch (clear $build and retry)"
for lib in "$torch_lib" "$c10_lib"; do
    [[ "$(realpath "$(dirname "$lib")")" == "$(realpath "$torch_prefix/lib")" ]] \
        || die "CMake picked $lib, not a library from $torch_prefix/lib (mixing LibTorch versions crashes)"
done
cmake_seconds=$(( $(date +%s) - t0 ))

# 4. Build everything that is not GUI: uae_core, uae, benches, tst_* suites.
step "building with -j$jobs"
tb=$(date +%s)
set +e
cmake --build "$build" -j"$jobs" 2>&1 | tee "$build/build.log" | grep -E '^\[ *[0-9]+%\]|error|Error'
build_rc=${PIPESTATUS[0]}
set -e
[[ $build_rc -eq 0 ]] || { grep -E -B2 -A8 'error' "$build/build.log" | head -n 80 >&2; die "build failed (log: $build/build.log)"; }
build_seconds=$(( $(date +%s) - tb ))

# The binaries must load the wheel's LibTorch (and its nvidia/* CUDA libraries), never Debian's.
uae="$build/app/uae"
[[ -x "$uae" ]] || die "no $uae after the build"
links=$(ldd "$uae") || die "ldd $uae failed"
# Also catches a symbol version missing from a library found first on the RUNPATH, e.g. an
# OpenMP symbol from GCC 12 that the wheel's bundled (older) libgomp.so.1 would lack.
if grep -q 'not found' <<<"$links"; then
    grep 'not found' <<<"$links" >&2
    die "$uae has unresolved libraries or symbol versions"
fi
for soname in libtorch_cpu.so libc10.so; do
    where=$(awk -v s="$soname" '$1 == s {print $3}' <<<"$links")
    [[ -n "$where" && "$(realpath "$(dirname "$where")")" == "$(realpath "$torch_prefix/lib")" ]] \
        || die "$uae loads $soname from '${where:-nowhere}', not from $torch_prefix/lib"
done
if grep -qE 'libc10\.so\.1|libtorch[a-z_]*\.so\.1' <<<"$links"; then
    grep -E 'libc10\.so\.1|libtorch[a-z_]*\.so\.1' <<<"$links" >&2
    die "$uae also loads Debian's LibTorch 1.x"
fi
cudart=$(awk '$1 ~ /^libcudart\.so/ {print $3}' <<<"$links")
gomp=$(awk '$1 == "libgomp.so.1" {print $3}' <<<"$links")
echo "uae loads libtorch_cpu.so from $torch_prefix/lib, libcudart from ${cudart:-(not loaded)}, libgomp from ${gomp:-(not loaded)}"
"$uae" --help >/dev/null 2>&1 || die "$uae --help does not run"

# 5. Tests.
header="$torch_prefix/include/torch/csrc/api/include/torch/version.h"
built_against=$(awk '$1 == "#define" && $2 ~ /^TORCH_VERSION_(MAJOR|MINOR|PATCH)$/ {v = v (v == "" ? "" : ".") $3}
                     END {print v}' "$header" 2>/dev/null || true)
summary() {
    echo "== build-torch2 summary"
    echo "LibTorch (TORCH_VERSION in $header): ${built_against:-unknown}"
    echo "torch wheel: $torch_version, CUDA $torch_cuda, cxx11 abi yes; CUDA mode: $cuda_mode"
    echo "Torch_DIR: $torch_dir"
    echo "configure: ${cmake_seconds}s, build: ${build_seconds}s"
}
if [[ "${UAE_SKIP_TESTS:-0}" == 1 ]]; then
    summary
    exit 0
fi
step "ctest -L '$labels'${exclude:+ -E '$exclude'}"
ctest_args=(--test-dir "$build" -L "$labels" --output-on-failure)
[[ -z "$exclude" ]] || ctest_args+=(-E "$exclude")
set +e
QT_QPA_PLATFORM=offscreen ctest "${ctest_args[@]}" 2>&1 | tee "$build/ctest.log"
ctest_rc=${PIPESTATUS[0]}
set -e
summary
[[ $ctest_rc -eq 0 ]] || die "ctest reported failures (rc $ctest_rc; log: $build/ctest.log)"
echo "build-torch2: OK, unit and model tests pass against LibTorch ${built_against:-$torch_version}"

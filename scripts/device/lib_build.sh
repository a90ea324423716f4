# Shared by scripts/device/gpu_check.sh and scripts/gpu/paper.sh (sourced, never run): timed steps
# under one budget, the torch query, unpacking carried Debian .deb files, and configuring the
# headless build against a PyTorch wheel's LibTorch (CUDA half by a shim, else by Caffe2's own
# detection with nvcc).
#
# The sourcing script sets, before calling these functions:
#   root        the repository root          build   the build folder (created)
#   deps        where the .debs are unpacked (e.g. /tmp/deps)
#   budget      seconds for the whole script  t_start its start (date +%s)
#   steps_tsv   a file the steps are recorded in (name, rc, seconds, note)
#   lb_tag      the name printed in front of each line (e.g. gpu_check)
#   py          the python whose torch is built against
# configure also reads: torch_cmake, torch_prefix (set by torch_query), uae_tests (ON|OFF, default
# ON) and cmake_extra (more CMake arguments, space-separated, none containing a space).

elapsed() { echo $(( $(date +%s) - t_start )); }
say() { echo "== ${lb_tag:-build} [$(elapsed)s] $*"; }
note_step() { # name rc seconds note
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$steps_tsv"
    say "step '$1': rc=$2 in ${3}s${4:+ ($4)}"
}
# run_step NAME TIMEOUT LOGFILE CMD...: runs CMD under timeout (capped by what is left of the
# budget), appending its output to LOGFILE and to stdout; records rc. Returns the command's rc
# (99 when skipped for lack of time).
run_step() {
    local name=$1 limit=$2 logfile=$3
    shift 3
    local left=$(( budget - $(elapsed) ))
    if (( left < 15 )); then
        note_step "$name" skipped 0 "no time left in the ${budget}s budget"
        return 99
    fi
    (( limit > left )) && limit=$left
    say "step '$name' (timeout ${limit}s): $*"
    local t0 rc
    t0=$(date +%s)
    timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$logfile"
    rc=${PIPESTATUS[0]}
    local note=""
    [[ $rc == 124 || $rc == 137 ]] && note="timed out after ${limit}s"
    note_step "$name" "$rc" $(( $(date +%s) - t0 )) "$note"
    return "$rc"
}

deps_ld() {
    echo "$deps/usr/lib/x86_64-linux-gnu:$deps/usr/lib/x86_64-linux-gnu/blas:$deps/usr/lib/x86_64-linux-gnu/lapack:$deps/lib/x86_64-linux-gnu"
}
# CMake (it runs moc at generate time), the build, our binaries and the tests find the unpacked
# libraries through LD_LIBRARY_PATH; python (the torch query, JSON checks) runs without it.
with_deps() { env LD_LIBRARY_PATH="$(deps_ld)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"; }

# torch_query: sets torch_version torch_cmake torch_prefix torch_abi torch_cuda torch_gpu
# torch_gpu_name from $py, prints them; returns 1 (torch_version=none) when unusable.
torch_query() {
    local info rc
    info=$(timeout 120 "$py" - <<'PY' 2>&1
import os, torch, torch.utils
print(torch.__version__)
print(torch.utils.cmake_prefix_path)
print(os.path.dirname(torch.__file__))
print(int(torch.compiled_with_cxx11_abi()))
print(torch.version.cuda or "none")
ok = torch.cuda.is_available()
print(int(ok))
print(torch.cuda.get_device_name(0) if ok else "-")
PY
    )
    rc=$?
    echo "$info"
    { read -r torch_version; read -r torch_cmake; read -r torch_prefix; read -r torch_abi; read -r torch_cuda
      read -r torch_gpu; read -r torch_gpu_name; } <<<"$info"
    if [[ $rc != 0 || ! -f "${torch_cmake:-/nonexistent}/Torch/TorchConfig.cmake" ]]; then
        note_step torch-info "$rc" 0 "cannot import torch from $py or no TorchConfig.cmake"
        torch_version=none torch_cmake="" torch_prefix="" torch_cuda=none torch_gpu=0 torch_gpu_name=-
        return 1
    fi
    note_step torch-info 0 0 "torch $torch_version, CUDA $torch_cuda, cxx11 abi $torch_abi, GPU seen by PyTorch: $torch_gpu ($torch_gpu_name)"
}

# unpack_deps DEBDIR [qt]: every DEBDIR/*.deb unpacked with `dpkg -x` into $deps (never into /;
# `ar` + tar without dpkg); FAISS's CMake config, which names /usr/lib/.../lib{blas,lapack}.so by
# absolute path, pointed at the unpacked reference BLAS/LAPACK. With "qt", Qt 6 Core/Test and moc
# are checked too (the test executables need them; the CLI alone does not).
unpack_deps() {
    local debdir=$1 want_qt=${2:-}
    rm -rf "$deps"
    mkdir -p "$deps"
    local n=0 f
    for f in "$debdir"/*.deb; do
        [[ -f "$f" ]] || continue
        if command -v dpkg >/dev/null; then
            dpkg -x "$f" "$deps" || { echo "dpkg -x $f failed"; return 1; }
        else
            local member
            member=$(ar t "$f" | grep '^data\.tar') || { echo "$f: no data.tar"; return 1; }
            local z=()
            case "$member" in *.xz) z=(-J) ;; *.zst) z=(--zstd) ;; *.gz) z=(-z) ;; esac
            ar p "$f" "$member" | tar -x "${z[@]}" -C "$deps" -f - || { echo "unpacking $f failed"; return 1; }
        fi
        n=$((n + 1))
    done
    echo "unpacked $n .deb files from $debdir into $deps ($(du -sh "$deps" | cut -f1))"
    (( n > 0 )) || { echo "no $debdir/*.deb (see scripts/device/fetch_debs.sh)"; return 1; }
    local lib="$deps/usr/lib/x86_64-linux-gnu"
    local ft="$lib/cmake/faiss/faiss-targets.cmake"
    [[ -f "$ft" ]] || { echo "no $ft"; return 1; }
    sed -i -e "s#/usr/lib/x86_64-linux-gnu/libblas\.so#$lib/blas/libblas.so.3#g" \
           -e "s#/usr/lib/x86_64-linux-gnu/liblapack\.so#$lib/lapack/liblapack.so.3#g" "$ft"
    grep -n INTERFACE_LINK_LIBRARIES "$ft"
    local missing=0 p need=("$lib/libfaiss.a" "$lib/blas/libblas.so.3" "$lib/lapack/liblapack.so.3" "$lib/libsqlite3.so"
        "$deps/usr/include/sqlite3.h" "$lib/libutf8proc.so" "$deps/usr/include/utf8proc.h"
        "$deps/usr/include/nlohmann/json.hpp" "$deps/usr/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake"
        "$deps/usr/include/CLI/CLI.hpp")
    [[ $want_qt == qt ]] && need+=("$lib/cmake/Qt6/Qt6Config.cmake" "$lib/cmake/Qt6Test/Qt6TestConfig.cmake"
        "$lib/libQt6Core.so.6" "$lib/libQt6Test.so.6" "$deps/usr/lib/qt6/libexec/moc"
        "$lib/qt6/mkspecs/linux-g++/qplatformdefs.h" "$lib/libicuuc.so.72" "$lib/libglib-2.0.so.0")
    for p in "${need[@]}"; do
        [[ -e "$p" ]] || { echo "MISSING after unpack: $p"; missing=1; }
    done
    local sos=("$lib"/lapack/liblapack.so.3 "$lib"/libsqlite3.so.0 "$lib"/libutf8proc.so.2)
    if [[ $want_qt == qt ]]; then
        with_deps "$deps/usr/lib/qt6/libexec/moc" -v || { echo "moc does not run"; missing=1; }
        sos+=("$lib"/libQt6Core.so.6 "$lib"/libQt6Test.so.6)
    fi
    # Libraries the unpacked ones need that neither the machine nor the .debs have.
    local so
    for so in "${sos[@]}"; do
        with_deps ldd "$so" | grep 'not found' | sed "s#^#$(basename "$so"): #"
    done
    return $missing
}

write_shim() {
    cat >"$1" <<'CMAKE'
# Written by scripts/device/lib_build.sh. Included after project(): defines the imported targets
# that Caffe2's public/cuda.cmake would (its include guard is `if(TARGET torch::cudart) return()`),
# so the CUDA wheel's TorchConfig configures without a CUDA toolkit. libtorch_cuda.so finds the CUDA
# runtime libraries through its own RUNPATH (the nvidia/* wheels next to torch).
foreach(t torch::cudart torch::nvtoolsext torch::nvtx3 torch::cudnn torch::cufile torch::cusparselt torch::cudss
          caffe2::cuda caffe2::cudart caffe2::cublas caffe2::curand caffe2::cufft caffe2::nvrtc caffe2::cudnn
          CUDA::cudart CUDA::cuda_driver CUDA::nvrtc CUDA::nvToolsExt CUDA::nvtx3 CUDA::cublas CUDA::cublasLt
          CUDA::cufft CUDA::curand CUDA::cusparse CUDA::cusolver CUDA::cupti)
  if(NOT TARGET ${t})
    add_library(${t} INTERFACE IMPORTED)
  endif()
endforeach()
CMAKE
}

# configure MODE (shim | toolkit): Release, -DUAE_BUILD_GUI=OFF, every dependency but LibTorch
# pinned to $deps (Qt only when it was unpacked there).
configure() {
    local mode=$1
    local lib="$deps/usr/lib/x86_64-linux-gnu"
    local args=(-S "$root" -B "$build"
        -DCMAKE_BUILD_TYPE=Release -DUAE_BUILD_GUI=OFF "-DUAE_BUILD_TESTS=${uae_tests:-ON}"
        "-DCMAKE_PREFIX_PATH=$torch_cmake;$torch_prefix;$deps/usr"
        "-Dfaiss_DIR=$lib/cmake/faiss"
        "-Dnlohmann_json_DIR=$deps/usr/share/cmake/nlohmann_json"
        "-DSQLite3_INCLUDE_DIR=$deps/usr/include"
        "-DSQLite3_LIBRARY=$lib/libsqlite3.so"
        "-DUAE_UTF8PROC_LIBRARY=$lib/libutf8proc.so"
        "-DUAE_UTF8PROC_INCLUDE=$deps/usr/include")
    [[ -f "$lib/cmake/Qt6/Qt6Config.cmake" ]] && args+=("-DQt6_DIR=$lib/cmake/Qt6")
    # shellcheck disable=SC2206 # documented: no spaces inside one argument
    [[ -n "${cmake_extra:-}" ]] && args+=($cmake_extra)
    command -v ninja >/dev/null && args=(-G Ninja "${args[@]}")
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
    if [[ $mode == shim ]]; then
        write_shim "$build/torch-cuda-shim.cmake"
        args+=("-DCMAKE_PROJECT_INCLUDE=$build/torch-cuda-shim.cmake")
    else
        local nvcc
        nvcc=$(command -v nvcc || true)
        [[ -n "$nvcc" ]] || { [[ -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc; }
        [[ -n "$nvcc" ]] || { echo "toolkit mode: no nvcc"; return 1; }
        args+=("-DCMAKE_CUDA_COMPILER=$nvcc" "-DCUDA_TOOLKIT_ROOT_DIR=$(cd "$(dirname "$nvcc")/.." && pwd)"
               -DCMAKE_CUDA_STANDARD=17 "-DTORCH_CUDA_ARCH_LIST=9.0")
    fi
    echo "cmake ${args[*]}"
    with_deps cmake "${args[@]}"
}

# configure_cuda LOGFILE ALLOW_TOOLKIT(0|1): the shim first; if that fails and ALLOW_TOOLKIT is 1,
# Caffe2's own CUDA detection. Sets cuda_mode and configure_rc.
configure_cuda() {
    local logfile=$1 allow_toolkit=$2
    export root build deps torch_cmake torch_prefix py uae_tests cmake_extra
    export -f configure write_shim with_deps deps_ld
    run_step configure-shim 180 "$logfile" bash -c 'configure shim'
    configure_rc=$?
    cuda_mode=shim
    if [[ $configure_rc != 0 && $allow_toolkit == 1 ]]; then
        say "shim configure failed: trying Caffe2's CUDA detection with nvcc"
        run_step configure-toolkit 180 "$logfile" bash -c 'configure toolkit'
        configure_rc=$?
        cuda_mode=toolkit
    fi
}

# steps_json TSV: the recorded steps as a JSON list (python).
steps_json() {
    "$py" - "$1" <<'PY'
import json, sys
steps = []
for line in open(sys.argv[1]):
    name, rc, seconds, note = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
    steps.append({"step": name, "rc": rc, "seconds": int(seconds or 0), "note": note})
print(json.dumps(steps))
PY
}

# place_model SRC MDIR: a model-cache folder, carried as SRC = NAME.tar.xz (holding NAME/) or the
# folder NAME itself, put into MDIR/NAME (uae::findFetchedModel looks in
# $XDG_CACHE_HOME/uae-workbench/models) and checked against its SHA256SUMS. Returns 1 on a mismatch.
place_model() {
    local src=$1 mdir=$2 name
    name=$(basename "$src" .tar.xz)
    rm -rf "${mdir:?}/$name"
    mkdir -p "$mdir"
    if [[ $src == *.tar.xz ]]; then
        # tar needs the xz program for -J; Python's tarfile needs nothing.
        tar -C "$mdir" -xJf "$src" 2>/dev/null \
            || { rm -rf "${mdir:?}/$name"; "$py" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$src" "$mdir"; }
    else
        cp -a "$src" "$mdir/"
    fi
    (cd "$mdir/$name" && sha256sum -c --quiet SHA256SUMS)
}

# Sourced by the distributed-training CLI tests: two `uae train --distributed` ranks over loopback.
# Uses the caller's $uae, $work, the array common (train options) and the array pids (killed on exit).

# ranks WORKSPACE LOG KILL1 [ARGS...]: two ranks training WORKSPACE in the background, rank 1
# SIGKILLed after optimizer step KILL1 (-1: never; the uae-faults hook); exit statuses in
# $work/LOG.rc0 and .rc1, output in .out0 and .out1.
ranks() {
    local ws=$1 log=$2 kill1=$3 port r; shift 3
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    for r in 0 1; do
        local fault=-1; [ $r = 1 ] && fault=$kill1
        (set +e; RANK=$r WORLD_SIZE=2 LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
             UAE_FAULT_KILL_AFTER_STEPS=$fault "$uae" train "${common[@]}" --workspace "$ws" \
             --distributed --dist-timeout 60 "$@" >"$work/$log.out$r" 2>&1
         echo $? >"$work/$log.rc$r") &
        pids+=($!)
    done
    wait "${pids[@]}"; pids=()
}

expect_rc() { # LOG RANK RC
    [ "$(cat "$work/$1.rc$2")" = "$3" ] || { echo "$1: rank $2 exited $(cat "$work/$1.rc$2"), expected $3:"; cat "$work/$1.out$2"; exit 1; }
}

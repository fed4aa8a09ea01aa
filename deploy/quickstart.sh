#!/usr/bin/env bash
# The README's first command: from a fresh clone to a running slotgate in front of a local
# Redis Cluster.
#
#   deploy/quickstart.sh [start]   install what is missing, build slotgate, start a local
#                                  3-master, 3-replica Redis Cluster on 127.0.0.1:7001-7006 and
#                                  slotgate on 127.0.0.1:6380 (metrics on 127.0.0.1:9380), wait
#                                  until slotgate answers, print how to connect
#   deploy/quickstart.sh stop      stop slotgate, then the local cluster
#   deploy/quickstart.sh restart   stop slotgate and start it again (e.g. after a rebuild)
#   deploy/quickstart.sh status    what is running
#
# Running start twice is safe: what already runs is left alone. Everything it writes goes to
# .run/ in the repository (slotgate.pid, slotgate.log, cluster/). SLOTGATE_BUILD_DIR picks the
# build folder (default build).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
readonly build_dir=${SLOTGATE_BUILD_DIR:-build}
readonly binary="$build_dir/proxy/slotgate"
readonly config=deploy/slotgate.yaml
# These are deploy/slotgate.yaml's listen and metrics addresses (DESIGN.md section 4).
readonly port=6380
readonly metrics_url=http://127.0.0.1:9380/metrics
readonly run_dir=.run
readonly pidfile="$run_dir/slotgate.pid"
readonly log="$run_dir/slotgate.log"
readonly ready_deadline_s=30
readonly stop_deadline_s=15

die() {
  echo "quickstart: $*" >&2
  exit 1
}

# The PID in the pidfile, printed only if that process is still a slotgate (PIDs get reused).
slotgate_pid() {
  local pid
  [[ -r $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '^[^ ]*slotgate --config ' || return 1
  echo "$pid"
}

answers_ping() {
  [[ $(timeout 2 redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null | tr -d '\r') == PONG ]]
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

build() {
  bash deploy/install-deps.sh
  # Configure only once: a later `cmake -G Ninja` on a folder made with another generator
  # fails, and `cmake --build` re-runs the configure step by itself when CMakeLists change.
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    cmake -S . -B "$build_dir" -G Ninja
  fi
  cmake --build "$build_dir" --target slotgate
}

start_slotgate() {
  local pid
  if pid=$(slotgate_pid); then
    if [[ $binary -nt $pidfile ]]; then
      echo "note: $binary was rebuilt after slotgate (PID $pid) started;" \
        "deploy/quickstart.sh restart runs the new one"
    fi
  else
    port_in_use && die "127.0.0.1:$port is taken by a process this script did not start"
    mkdir -p "$run_dir"
    echo "--- $(date '+%F %T') starting $binary --config $config" >>"$log"
    # setsid: slotgate gets its own session, so a Ctrl-C or hangup of this terminal does not
    # reach it. In a script (no job control) the background child is not a group leader, so
    # setsid execs slotgate in place and $! is slotgate's own PID.
    setsid "$binary" --config "$config" </dev/null >>"$log" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
  fi
  local deadline=$((SECONDS + ready_deadline_s))
  until answers_ping; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      rm -f "$pidfile"
      die "slotgate exited; the lines above are the end of $log"
    fi
    ((SECONDS < deadline)) || die "slotgate (PID $pid) does not answer PING on" \
      "127.0.0.1:$port after ${ready_deadline_s}s; see $log"
    sleep 0.2
  done
  echo "slotgate running (PID $pid), listening on 127.0.0.1:$port"
}

stop_slotgate() {
  local pid
  if ! pid=$(slotgate_pid); then
    rm -f "$pidfile"
    echo "slotgate was not running"
    return 0
  fi
  # SIGTERM: slotgate stops accepting and finishes the requests in flight, then exits.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + stop_deadline_s))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "quickstart: slotgate (PID $pid) ignored SIGTERM for ${stop_deadline_s}s; SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "slotgate stopped"
}

print_usage_hints() {
  cat <<EOF

slotgate is up: one Redis server's face on the local Redis Cluster (127.0.0.1:7001-7006).

  connect:   redis-cli -p $port
  try:       redis-cli -p $port SET greeting hello && redis-cli -p $port GET greeting
  metrics:   $metrics_url
  log:       $repo/$log
  cluster:   deploy/local-cluster.sh status
  stop all:  deploy/quickstart.sh stop
EOF
}

case ${1:-start} in
  start)
    build
    deploy/local-cluster.sh start
    start_slotgate
    print_usage_hints
    ;;
  stop)
    stop_slotgate
    deploy/local-cluster.sh stop
    ;;
  restart)
    [[ -x $binary ]] || die "$binary is not built; run deploy/quickstart.sh first"
    stop_slotgate
    deploy/local-cluster.sh start
    start_slotgate
    print_usage_hints
    ;;
  status)
    if pid=$(slotgate_pid); then
      echo "slotgate: running (PID $pid), $(answers_ping && echo answering || echo 'not answering') on 127.0.0.1:$port"
    else
      echo "slotgate: not running"
    fi
    deploy/local-cluster.sh status
    ;;
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" ;;
  *) die "unknown command: $1 (start, stop, restart or status)" ;;
esac

#!/usr/bin/env bash
# Side-by-side benchmark: the same redis-benchmark load (GET and SET, 50 clients, -P 1 and
# -P 16, 64-byte values, 100000 random keys) sent
#   direct      to one plain redis-server,
#   slotgate    through slotgate in front of a 3-master Redis Cluster,
#   nutcracker  through twemproxy (Debian's nutcracker) in front of 3 plain redis-servers,
# printing requests per second, p50/p99 latency and CPU time per request, each as a ratio to
# direct. A measurement tool, not a test: it exits non-zero only if something failed to run.
#
#   tests/bench/run.sh [--build-dir DIR] [--requests N] [--workers N] [--repeat R]
#                      [--targets LIST] [--keep]
#
#   --build-dir DIR   where slotgate was built (default build; the binary is DIR/proxy/slotgate)
#   --requests N      requests per -P 1 run (default 100000); -P 16 runs send 10*N, so that
#                     both last a few seconds and CPU times are well above /proc's 10 ms tick
#   --workers N       slotgate worker threads (default 1: on 2 cores, one worker leaves a core
#                     for redis-benchmark and the redis-servers)
#   --repeat R        measure every case R times and report medians (default 1), for a busy
#                     machine whose load comes and goes
#   --targets LIST    comma-separated subset of direct,slotgate,nutcracker (default all)
#   --keep            keep the work folder (configs, logs, results.jsonl) and print its path
#
# Every server runs on free loopback ports chosen at run time (never the demo's 6380,
# 7001-7006, 9380), and everything the script starts is stopped on exit, by PID.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly repo
readonly here="$repo/tests/bench"
build_dir=build
requests=100000
workers=1
repeat=1
targets=direct,slotgate,nutcracker
keep=0

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
  exit "${1:-2}"
}

while (($#)); do
  case $1 in
    --build-dir) build_dir=${2:?--build-dir needs a value}; shift 2 ;;
    --requests) requests=${2:?--requests needs a value}; shift 2 ;;
    --workers) workers=${2:?--workers needs a value}; shift 2 ;;
    --repeat) repeat=${2:?--repeat needs a value}; shift 2 ;;
    --targets) targets=${2:?--targets needs a value}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage ;;
  esac
done
[[ $requests =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --requests must be a positive number" >&2; exit 2; }
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --workers must be a positive number" >&2; exit 2; }
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --repeat must be a positive number" >&2; exit 2; }
[[ $build_dir == /* ]] || build_dir="$repo/$build_dir"
readonly slotgate="$build_dir/proxy/slotgate"
readonly clients=50 data_size=64 keyspace=100000

want() { [[ ,$targets, == *,$1,* ]]; }
for t in ${targets//,/ }; do
  [[ $t == direct || $t == slotgate || $t == nutcracker ]] || {
    echo "run.sh: unknown target $t (direct, slotgate, nutcracker)" >&2
    exit 2
  }
done
for tool in redis-server redis-cli redis-benchmark python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found; run deploy/install-deps.sh" >&2; exit 1; }
done
if want nutcracker && ! command -v nutcracker >/dev/null; then
  echo "run.sh: nutcracker not found; run deploy/install-deps.sh" >&2
  exit 1
fi

# The interpreter itself, not a version manager's shim script: a shim costs time on every
# call, and a Ctrl-C that lands in it is swallowed instead of ending the run.
python=$(python3 -c 'import sys; print(sys.executable)')
readonly python

work=$(mktemp -d "${TMPDIR:-/tmp}/slotgate-bench.XXXXXX")
readonly work
pids=()            # every process this script started directly, stopped on exit
cluster_base=""    # set once the benchmark's own cluster is started
failed=()          # targets that could not be measured

cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Our own children: `wait` reaps them, and a PID cannot be reused before that, so these
  # signals can only reach the processes we started.
  for pid in "${pids[@]}"; do
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $cluster_base ]]; then
    "$repo/deploy/local-cluster.sh" stop --base-port "$cluster_base" --dir "$work/cluster" \
      --replicas 0 >/dev/null || rc=1
  fi
  if ((keep)); then
    echo "work folder kept: $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # through the EXIT trap, which stops everything

cli() {
  local port=$1
  shift
  timeout 5 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>/dev/null | tr -d '\r'
}

# start_bg LOG COMMAND...: runs COMMAND in the background as a child of this shell, its output
# in LOG, and sets last_pid. Not in $(...): a child of a subshell would not be ours to wait for.
last_pid=""
start_bg() {
  local log=$1
  shift
  "$@" </dev/null >"$log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

# wait_ready PORT PID WHAT: until PORT answers PING and a SET of a key in each third of the
# slot space (slots 4030, 8095 and 12284: one per cluster master) is answered OK, so the first
# measured request does not pay for a proxy's startup or topology discovery.
wait_ready() {
  local port=$1 pid=$2 what=$3 deadline=$((SECONDS + 30)) key ok
  while :; do
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: $what exited" >&2; return 1; }
    if [[ $(cli "$port" PING) == PONG ]]; then
      ok=1
      for key in bench:probe:2 bench:probe:3 bench:probe:0; do
        [[ $(cli "$port" SET "$key" 1) == OK ]] || ok=0
      done
      ((ok)) && return 0
    fi
    ((SECONDS < deadline)) || { echo "run.sh: $what not ready after 30 s" >&2; return 1; }
    sleep 0.2
  done
}

# A plain, memory-only redis-server, like the servers of a cache fleet; sets last_pid.
start_redis() {
  local port=$1
  start_bg "$work/redis-$port.log" redis-server --port "$port" --bind 127.0.0.1 \
    --save '' --appendonly no --dir "$work"
}

declare -A front_pid=() port_of=() backend_args=()

setup_direct() {
  start_redis "$p_direct"
  front_pid[direct]=$last_pid
  port_of[direct]=$p_direct
  # The server is its own backend: its commandstats show every request ran.
  backend_args[direct]="--backend $p_direct=$last_pid"
  wait_ready "$p_direct" "$last_pid" "redis-server on port $p_direct"
}

setup_nutcracker() {
  local port args=""
  for port in "$p_tw1" "$p_tw2" "$p_tw3"; do
    start_redis "$port"
    args+=" --backend $port=$last_pid"
    wait_ready "$port" "$last_pid" "redis-server on port $port" || return 1
  done
  # twemproxy's usual Redis setup: consistent hashing (ketama) over the three servers, one
  # pipelined connection to each, hosts never ejected (a benchmark wants errors, not resharding).
  cat >"$work/nutcracker.yml" <<YAML
bench:
  listen: 127.0.0.1:$p_tw
  redis: true
  hash: fnv1a_64
  distribution: ketama
  auto_eject_hosts: false
  server_connections: 1
  servers:
    - 127.0.0.1:$p_tw1:1
    - 127.0.0.1:$p_tw2:1
    - 127.0.0.1:$p_tw3:1
YAML
  start_bg "$work/nutcracker.out" nutcracker -c "$work/nutcracker.yml" -s "$p_twstats" \
    -a 127.0.0.1 -o "$work/nutcracker.log" -p "$work/nutcracker.pid" -v 4
  front_pid[nutcracker]=$last_pid
  port_of[nutcracker]=$p_tw
  backend_args[nutcracker]=$args
  wait_ready "$p_tw" "$last_pid" "nutcracker" || { tail -n 20 "$work/nutcracker.log" >&2; return 1; }
}

setup_slotgate() {
  if [[ ! -x $slotgate ]]; then
    echo "run.sh: $slotgate is not built (cmake --build ${build_dir#"$repo/"} --target slotgate)" >&2
    return 1
  fi
  # The cluster: 3 bare masters (replicas would add replication CPU to the backends' figures).
  cluster_base=$cluster_ports
  "$repo/deploy/local-cluster.sh" start --base-port "$cluster_base" --dir "$work/cluster" \
    --replicas 0 >/dev/null || return 1
  local port args="" seeds=""
  for port in "$cluster_base" $((cluster_base + 1)) $((cluster_base + 2)); do
    args+=" --backend $port=$(<"$work/cluster/$port/redis.pid")"
    seeds+="${seeds:+, }127.0.0.1:$port"
  done
  # Metrics are left off: the scrape endpoint is idle during a run, and an absent key is
  # the smallest config slotgate accepts.
  cat >"$work/slotgate.yaml" <<YAML
listen: 127.0.0.1:$p_sg
workers: $workers
log_level: warn
backend:
  mode: cluster
  seeds: [$seeds]
YAML
  "$slotgate" --check-config "$work/slotgate.yaml" >"$work/slotgate-check.log" 2>&1 || {
    cat "$work/slotgate-check.log" >&2
    return 1
  }
  start_bg "$work/slotgate.log" "$slotgate" --config "$work/slotgate.yaml"
  front_pid[slotgate]=$last_pid
  port_of[slotgate]=$p_sg
  backend_args[slotgate]=$args
  wait_ready "$p_sg" "$last_pid" "slotgate" || { tail -n 20 "$work/slotgate.log" >&2; return 1; }
}

# Ports: direct, nutcracker's three servers, nutcracker and its stats, slotgate, and the base
# of the cluster's three consecutive ports.
read -r p_direct p_tw1 p_tw2 p_tw3 p_tw p_twstats p_sg cluster_ports \
  < <("$python" "$here/bench.py" ports --single 7 --cluster 3)
[[ -n $cluster_ports ]] || { echo "run.sh: could not pick free ports" >&2; exit 1; }

echo "slotgate bench: starting servers (work folder $work)"
active=()
for target in direct slotgate nutcracker; do
  want "$target" || continue
  # A function in an `if` runs without set -e, so each setup step checks its own status.
  if "setup_$target"; then
    active+=("$target")
  else
    echo "run.sh: $target could not be started; it is left out of this run" >&2
    failed+=("$target")
  fi
done
((${#active[@]})) || exit 1

results="$work/results.jsonl"
: >"$results"

measure() {  # measure TARGET TEST PIPELINE REQUESTS
  local target=$1
  # shellcheck disable=SC2086  # backend_args holds several --backend words on purpose
  "$python" "$here/bench.py" measure --out "$results" --target "$target" --test "$2" \
    --pipeline "$3" --requests "$4" --clients "$clients" --data-size "$data_size" \
    --keyspace "$keyspace" --port "${port_of[$target]}" --front "${front_pid[$target]}" \
    ${backend_args[$target]}
}

# A run that died of a signal (Ctrl-C reaches redis-benchmark and bench.py too) ends the
# whole benchmark; bash would not run the INT trap for a child that handled the signal itself.
stop_if_signalled() {
  local rc=$?
  ((rc > 128)) && exit "$rc"
  return 0
}

drop() {  # drop TARGET: after a failed run, the target is left out of the rest
  local keep_targets=() t
  for t in "${active[@]}"; do [[ $t == "$1" ]] || keep_targets+=("$t"); done
  active=("${keep_targets[@]}")
  failed+=("$1")
}

# Warm-up, not measured: connections, allocator pools and part of the key space. Every target
# gets the same sequence of runs, so its GET runs find about the same share of their keys.
echo "warming up: ${active[*]}"
for target in "${active[@]}"; do
  for test in set get; do
    measure "$target" "$test" 16 $((requests / 2)) >/dev/null || { stop_if_signalled; drop "$target"; break; }
  done
done
: >"$results"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "measuring (-P 1 runs: $requests requests, -P 16 runs: $((requests * 10)); $repeat round(s))"
# Targets take turns within each case, so a burst of load from elsewhere on the machine
# spreads over all of them instead of landing on one.
for ((round = 1; round <= repeat; round++)); do
  for pipeline in 1 16; do
    n=$requests
    ((pipeline == 1)) || n=$((requests * 10))
    for test in set get; do
      for target in "${active[@]}"; do
        measure "$target" "$test" "$pipeline" "$n" || { stop_if_signalled; drop "$target"; }
      done
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

versions="redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')"
want nutcracker && versions+=", $(nutcracker --version 2>&1 | sed -n 's/This is //p' | head -n1)"
[[ -x $slotgate ]] && want slotgate && versions+=", $("$slotgate" --version 2>/dev/null || echo 'slotgate ?')"
echo
"$python" "$here/bench.py" report "$results" \
  --header "machine: $(nproc) cores, load average $load_before before, $load_after after" \
  --header "software: $versions" \
  --header "load: redis-benchmark -c $clients -d $data_size -r $keyspace -t set|get -P 1|16," \
  --header "      -n $requests at -P 1 and $((requests * 10)) at -P 16; $repeat round(s)$(
    ((repeat > 1)) && echo ', each figure the median of its rounds')" \
  --header "setup: slotgate ($workers worker(s)) over a 3-master cluster;" \
  --header "       nutcracker (ketama) over 3 plain redis-servers"

if ((${#failed[@]})); then
  echo
  echo "run.sh: not measured: ${failed[*]} (see the messages above)" >&2
  exit 1
fi

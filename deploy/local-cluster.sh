#!/usr/bin/env bash
# A local Redis Cluster for trying slotgate out: 3 masters and their replicas on 127.0.0.1,
# run by Debian's redis-server, each node in its own folder under the run dir.
#
#   deploy/local-cluster.sh start|stop|status|clean [--base-port P] [--dir D] [--replicas N]
#
#   start   starts the nodes that are not running, creates the cluster the first time
#           (redis-cli --cluster create), and waits until every node says cluster_state:ok.
#           Safe to repeat: a running healthy cluster is left as it is.
#   stop    ends the redis-server processes this script started (their pidfiles), nothing else.
#           The run dir stays, so the next start brings the same cluster back (from nodes.conf).
#   status  one line per node; exit 0 healthy, 1 running but not healthy, 3 not running.
#   clean   stop, then delete the node folders this script made in the run dir.
#
# Defaults: --base-port 7001 (nodes on P..P+5, cluster bus on P+10000..), --dir .run/cluster in
# the repository, --replicas 1 (0 gives 3 bare masters, as the benchmark uses).
# Data lives in memory only (no RDB, no AOF): after stop and start the keys are gone, the
# cluster's shape (nodes.conf) is not.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo
readonly masters=3
# Long enough for a slow, shared machine; a healthy start takes a few seconds.
readonly start_deadline_s=60
readonly stop_deadline_s=15

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
  exit "${1:-2}"
}

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

command=${1:-}
[[ -n $command ]] || usage
shift
base_port=7001
run_dir="$repo/.run/cluster"
replicas=1
while (($#)); do
  case $1 in
    --base-port) base_port=${2:?--base-port needs a value}; shift 2 ;;
    --dir) run_dir=${2:?--dir needs a value}; shift 2 ;;
    --replicas) replicas=${2:?--replicas needs a value}; shift 2 ;;
    -h | --help) usage 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
[[ $base_port =~ ^[0-9]+$ ]] || die "--base-port must be a number"
[[ $replicas =~ ^[0-9]$ ]] || die "--replicas must be 0-9"
readonly nodes=$((masters * (1 + replicas)))
# The cluster bus listens on port+10000, so the highest node port must leave room for it.
((base_port >= 1024 && base_port + nodes - 1 + 10000 <= 65535)) ||
  die "--base-port must be 1024-$((65535 - 10000 - nodes + 1))"
# Absolute, because redis-server chdirs into its own folder; made only by start.
run_dir=$(realpath -m "$run_dir")
readonly run_dir base_port replicas

ports=()
for ((i = 0; i < nodes; i++)); do ports+=($((base_port + i))); done
readonly ports

node_dir() { echo "$run_dir/$1"; }
pidfile() { echo "$run_dir/$1/redis.pid"; }

cli() {
  local port=$1
  shift
  # Replies end in CRLF when redis-cli writes to a pipe; strip the CR so fields compare plainly.
  timeout 5 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>/dev/null | tr -d '\r'
}

# The PID in the node's pidfile, printed only if that process is still the redis-server we
# started on that port (a PID can be reused by an unrelated process after a crash or reboot).
running_pid() {
  local port=$1 file pid
  file=$(pidfile "$port")
  [[ -r $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # redis-server rewrites its title to "redis-server 127.0.0.1:PORT [cluster]".
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^redis-server .*:$port " || return 1
  echo "$pid"
}

port_in_use() {
  # A connect that succeeds means someone listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

info_field() {  # info_field FIELD <<< "$(cli PORT CLUSTER INFO)"
  sed -n "s/^$1://p"
}

# Healthy: every node is ours and running, agrees the cluster is ok with all slots served
# by $masters masters, knows every node, and every replica's link to its master is up.
healthy() {
  local port info role
  for port in "${ports[@]}"; do
    running_pid "$port" >/dev/null || return 1
    # Both replies in one redis-cli run: on a busy machine each run costs about 0.1 s.
    info=$(printf 'CLUSTER INFO\nINFO replication\n' | cli "$port")
    [[ $(info_field cluster_state <<<"$info") == ok ]] || return 1
    [[ $(info_field cluster_slots_ok <<<"$info") == 16384 ]] || return 1
    [[ $(info_field cluster_known_nodes <<<"$info") == "$nodes" ]] || return 1
    [[ $(info_field cluster_size <<<"$info") == "$masters" ]] || return 1
    role=$(info_field role <<<"$info")
    if [[ $role == slave ]]; then
      [[ $(info_field master_link_status <<<"$info") == up ]] || return 1
    fi
  done
}

# Writes the node's config each start, so a changed template applies to an existing run dir.
write_config() {
  local port=$1 dir
  dir=$(node_dir "$port")
  mkdir -p "$dir"
  cat >"$dir/redis.conf" <<EOF
# Written by deploy/local-cluster.sh; rewritten on every start.
port $port
bind 127.0.0.1
daemonize yes
pidfile "$dir/redis.pid"
logfile "$dir/redis.log"
dir "$dir"
cluster-enabled yes
cluster-config-file nodes.conf
# Short enough that a failover demo does not drag, long enough for a busy 2-core machine.
cluster-node-timeout 5000
save ""
appendonly no
EOF
}

check_free() {
  local port=$1
  if port_in_use "$port" || port_in_use $((port + 10000)); then
    die "port $port or its bus port $((port + 10000)) is taken by a process this script did not" \
      "start; pick other ports with --base-port"
  fi
}

start_node() {
  local port=$1
  write_config "$port"
  # daemonize: redis-server detaches into its own session and writes its PID to the pidfile,
  # so the node survives this script and a Ctrl-C or hangup of the calling terminal.
  redis-server "$(node_dir "$port")/redis.conf" || die "redis-server on port $port did not start"
}

wait_until() {  # wait_until DEADLINE_S COMMAND...: polls COMMAND until it succeeds or time is up
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

answers_ping() { [[ $(cli "$1" PING) == PONG ]] && running_pid "$1" >/dev/null; }

# A node that has never joined a cluster knows only itself and serves no slot.
fresh() {
  local info
  info=$(cli "$1" CLUSTER INFO)
  [[ $(info_field cluster_known_nodes <<<"$info") == 1 &&
    $(info_field cluster_slots_assigned <<<"$info") == 0 ]]
}

log_tail() {
  local port=$1
  echo "--- last lines of $(node_dir "$port")/redis.log:" >&2
  tail -n 15 "$(node_dir "$port")/redis.log" >&2 2>/dev/null || true
}

cmd_start() {
  mkdir -p "$run_dir"
  touch "$run_dir/.local-cluster"  # marks the folder as ours, for clean
  if healthy; then
    echo "local cluster already running and healthy on 127.0.0.1:${ports[0]}-${ports[-1]}"
    return 0
  fi
  local port started=() all_fresh=1
  for port in "${ports[@]}"; do
    running_pid "$port" >/dev/null && continue
    check_free "$port"
    started+=("$port")
  done
  # Ports are all checked before any node starts, so a clash leaves nothing half started.
  for port in "${started[@]}"; do start_node "$port"; done
  for port in "${ports[@]}"; do
    if ! wait_until 20 answers_ping "$port"; then
      log_tail "$port"
      die "node 127.0.0.1:$port does not answer PING"
    fi
  done
  for port in "${ports[@]}"; do fresh "$port" || all_fresh=0; done
  if ((all_fresh)); then
    local addrs=()
    for port in "${ports[@]}"; do addrs+=("127.0.0.1:$port"); done
    # The first $masters addresses become the masters (0-5460, 5461-10922, 10923-16383), which
    # is the table deploy/slotgate.yaml expects. All nodes share one host, so redis-cli warns
    # about replicas next to their masters; that is the point of a local cluster.
    redis-cli --cluster create "${addrs[@]}" --cluster-replicas "$replicas" --cluster-yes \
      >"$run_dir/create.log" 2>&1 || {
      cat "$run_dir/create.log" >&2
      die "redis-cli --cluster create failed"
    }
  fi
  # Either the cluster was just created, or nodes restarted from their nodes.conf are finding
  # each other again; both end in cluster_state:ok on every node.
  if ! wait_until "$start_deadline_s" healthy; then
    cmd_status >&2 || true
    die "the cluster is not healthy after ${start_deadline_s}s. If its folders are from an" \
      "older, different cluster, start over with: $0 clean$(extra_args) && $0 start$(extra_args)"
  fi
  echo "local cluster up: 127.0.0.1:${ports[0]}-${ports[-1]}" \
    "($masters masters, $replicas replica(s) each; started ${#started[@]} node(s); data in $run_dir)"
}

# The options this run was given, to repeat them in hints.
extra_args() {
  local out=""
  ((base_port != 7001)) && out+=" --base-port $base_port"
  [[ $run_dir != "$repo/.run/cluster" ]] && out+=" --dir $run_dir"
  ((replicas != 1)) && out+=" --replicas $replicas"
  echo "$out"
}

cmd_stop() {
  local port pid pids=() file
  for port in "${ports[@]}"; do
    file=$(pidfile "$port")
    if pid=$(running_pid "$port"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    elif [[ -e $file ]]; then
      rm -f "$file"  # stale: its process is gone (or is no longer ours)
    fi
  done
  local deadline=$((SECONDS + stop_deadline_s))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "local-cluster: PID $pid ignored SIGTERM for ${stop_deadline_s}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  echo "local cluster stopped (${#pids[@]} node(s) were running)"
}

cmd_status() {
  local port pid running=0 role state
  printf '%-16s %-8s %-7s %s\n' NODE PID ROLE CLUSTER_STATE
  for port in "${ports[@]}"; do
    if pid=$(running_pid "$port"); then
      running=$((running + 1))
      role=$(cli "$port" INFO replication | info_field role)
      state=$(cli "$port" CLUSTER INFO | info_field cluster_state)
    else
      pid=- role=- state=down
    fi
    printf '%-16s %-8s %-7s %s\n' "127.0.0.1:$port" "$pid" "${role:-?}" "${state:-?}"
  done
  if healthy; then
    echo "healthy"
    return 0
  elif ((running == 0)); then
    echo "not running"
    return 3
  fi
  echo "not healthy"
  return 1
}

cmd_clean() {
  cmd_stop
  [[ -d $run_dir ]] || return 0
  [[ -e $run_dir/.local-cluster ]] || die "$run_dir was not made by this script; not deleting"
  local port
  for port in "${ports[@]}"; do rm -rf "$(node_dir "$port")"; done
  rm -f "$run_dir/.local-cluster" "$run_dir/create.log"
  rmdir "$run_dir" 2>/dev/null || true  # only if nothing else lives there
  echo "local cluster files removed from $run_dir"
}

case $command in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  clean) cmd_clean ;;
  -h | --help) usage 0 ;;
  *) die "unknown command: $command (start, stop, status or clean)" ;;
esac

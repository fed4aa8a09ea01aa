#!/usr/bin/env python3
"""Helpers for tests/bench/run.sh (standard library only).

  bench.py ports --single N --cluster M
      Prints N free loopback ports, then the base of M consecutive free ports whose cluster
      bus ports (+10000) are free too. Ports of the local demo are never chosen.
  bench.py measure --out FILE --target NAME --test set|get --pipeline P --requests N
                   --port PORT --front PID [--backend PORT=PID ...] [--clients C ...]
      Runs one redis-benchmark and appends one JSON line to FILE: requests per second and
      latencies from its --csv output, the CPU time (user+sys from /proc/PID/stat) that the
      front process, the backends and redis-benchmark itself spent during the run, and how
      many of the requests the backends executed (INFO commandstats), which shows that the
      replies were real work and not errors or local answers.
  bench.py report FILE [--header TEXT ...]
      Prints the table and the ratios to direct; a case measured several times shows the
      median of each figure.
"""

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys

# The local demo's ports (DESIGN.md section 4) and their cluster bus ports: a benchmark must
# never collide with a demo someone is running.
RESERVED = {6380, 9380} | set(range(7001, 7007)) | set(range(17001, 17007))
CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGETS = ["direct", "slotgate", "nutcracker"]


def bind(port):
    """A socket bound to 127.0.0.1:port (0 = any free port), or None if the port is taken."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    return s


def cmd_ports(args):
    held = []  # every chosen port stays bound until all are chosen, so none is chosen twice
    singles = []
    while len(singles) < args.single:
        s = bind(0)
        port = s.getsockname()[1]
        held.append(s)
        if port not in RESERVED:
            singles.append(port)
    base = None
    # Below 55535 so the bus ports fit; the kernel's ephemeral range starts at 32768, so a
    # base under it rarely races with outgoing connections.
    for candidate in range(21000, 32000 - args.cluster, 37):
        ports = [candidate + i for i in range(args.cluster)]
        ports += [p + 10000 for p in ports]
        if any(p in RESERVED for p in ports):
            continue
        socks = [bind(p) for p in ports]
        held.extend(s for s in socks if s)
        if all(socks):
            base = candidate
            break
    if base is None:
        sys.exit("bench.py: no free run of cluster ports found")
    print(" ".join(map(str, singles + [base])))
    for s in held:
        s.close()


class Gone(Exception):
    pass


def cpu_seconds(pid):
    """user+sys CPU seconds of a process, all its threads together."""
    try:
        f = open(f"/proc/{pid}/stat")
    except FileNotFoundError:
        raise Gone(f"process {pid} is gone") from None
    with f:
        # The command name is in parentheses and may hold spaces: split after its ')'.
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def redis(port, *command):
    out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *command],
                         capture_output=True, text=True, timeout=10)
    if out.returncode != 0 or out.stdout.startswith(("ERR", "Could not connect")):
        raise Gone(f"127.0.0.1:{port} did not answer {' '.join(command)}: "
                   f"{(out.stdout + out.stderr).strip()}")
    return out.stdout.replace("\r", "")


def executed_calls(port, test):
    """How many times the server at `port` executed `test` since the last CONFIG RESETSTAT."""
    for line in redis(port, "INFO", "commandstats").splitlines():
        if line.startswith(f"cmdstat_{test}:"):
            stats = dict(kv.split("=", 1) for kv in line.split(":", 1)[1].split(","))
            # Calls that Redis rejected or that failed are not work a client could use.
            return (int(stats["calls"]) - int(stats.get("failed_calls", 0))
                    - int(stats.get("rejected_calls", 0)))
    return 0


def cmd_measure(args):
    backends = []
    for spec in args.backend:
        port, pid = spec.split("=")
        backends.append((int(port), int(pid)))
    for port, _ in backends:
        redis(port, "CONFIG", "RESETSTAT")
    bench = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(args.port), "-c", str(args.clients),
             "-n", str(args.requests), "-P", str(args.pipeline), "-d", str(args.data_size),
             "-r", str(args.keyspace), "-t", args.test, "--csv"]
    backend_pids = sorted({pid for _, pid in backends} - {args.front})

    front0 = cpu_seconds(args.front)
    back0 = sum(cpu_seconds(p) for p in backend_pids)
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(bench, capture_output=True, text=True)
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    front1 = cpu_seconds(args.front)
    back1 = sum(cpu_seconds(p) for p in backend_pids)

    if run.returncode != 0:
        # redis-benchmark 7 stops at the first error reply, "to avoid false results".
        sys.stderr.write(f"redis-benchmark failed (exit {run.returncode}): {' '.join(bench)}\n"
                         f"{run.stdout[-2000:]}{run.stderr[-2000:]}\n")
        sys.exit(1)
    row = None
    lines = [l for l in run.stdout.splitlines() if l.startswith('"')]
    header = [h.strip('"') for h in lines[0].split(",")] if lines else []
    for line in lines[1:]:
        values = dict(zip(header, (v.strip('"') for v in line.split(","))))
        if values.get("test", "").lower() == args.test:
            row = values
    if row is None:
        sys.exit(f"bench.py: no {args.test} row in redis-benchmark's output:\n{run.stdout}")

    executed = sum(executed_calls(port, args.test) for port, _ in backends)
    result = {
        "target": args.target, "test": args.test.upper(), "pipeline": args.pipeline,
        "requests": args.requests, "rps": float(row["rps"]),
        "p50_ms": float(row["p50_latency_ms"]), "p99_ms": float(row["p99_latency_ms"]),
        "front_cpu_s": front1 - front0, "backend_cpu_s": back1 - back0,
        "client_cpu_s": (child1.ru_utime - child0.ru_utime) + (child1.ru_stime - child0.ru_stime),
        "executed": executed,
    }
    with open(args.out, "a") as f:
        f.write(json.dumps(result) + "\n")
    print(f"  {args.target:<10} {result['test']:<3} -P {args.pipeline:<2} "
          f"{result['rps']:>10,.0f} req/s  p50 {result['p50_ms']:.3f} ms  "
          f"p99 {result['p99_ms']:.3f} ms", flush=True)


def us_per_request(seconds, requests):
    return seconds * 1e6 / requests


def fmt_ratio(value, base):
    return f"{value / base:.2f}x" if base else "-"


def cmd_report(args):
    with open(args.file) as f:
        results = [json.loads(line) for line in f if line.strip()]
    runs = {}
    for r in results:
        runs.setdefault((r["test"], r["pipeline"], r["target"]), []).append(r)
    # With --repeat, each figure is the median over the repeats of its case (one run: itself).
    by_key = {key: {**rs[0], **{field: statistics.median(r[field] for r in rs) for field in (
        "rps", "p50_ms", "p99_ms", "front_cpu_s", "backend_cpu_s", "client_cpu_s", "executed")}}
        for key, rs in runs.items()}
    cases = sorted({(r["test"], r["pipeline"]) for r in results}, key=lambda c: (c[1], c[0] != "SET"))
    targets = [t for t in TARGETS if any(r["target"] == t for r in results)]

    for line in args.header:
        print(line)
    print()
    print("CPU columns are microseconds of user+sys CPU per request. 'server' is the process the"
          " client talks to\n(redis-server for direct, the proxy otherwise); 'backends' are the"
          " three redis-servers behind a proxy;\n'bench' is redis-benchmark itself. 'x direct'"
          " divides by direct's figure for the same test and -P.\n'executed' is the share of"
          " requests the backends really ran (INFO commandstats); it should read 100%.")
    print()
    columns = ("TEST", "-P", "TARGET", "REQ/S", "x direct", "P50 ms", "P99 ms", "server",
               "x direct", "backends", "total", "bench", "executed")
    fmt = "{:<4} {:>3}  {:<10} {:>9} {:>8} {:>7} {:>7}  {:>7} {:>8} {:>8} {:>7} {:>6} {:>8}"
    print(fmt.format(*columns))
    for test, pipeline in cases:
        direct = by_key.get((test, pipeline, "direct"))
        for target in targets:
            r = by_key.get((test, pipeline, target))
            if r is None:
                print(fmt.format(test, pipeline, target, "failed", *["-"] * 9))
                continue
            n = r["requests"]
            server = us_per_request(r["front_cpu_s"], n)
            backends = us_per_request(r["backend_cpu_s"], n)
            base_server = us_per_request(direct["front_cpu_s"], direct["requests"]) if direct else 0
            print(fmt.format(
                test, pipeline, target, f"{r['rps']:,.0f}",
                fmt_ratio(r["rps"], direct["rps"]) if direct else "-",
                f"{r['p50_ms']:.3f}", f"{r['p99_ms']:.3f}", f"{server:.2f}",
                fmt_ratio(server, base_server),
                f"{backends:.2f}" if target != "direct" else "-",
                f"{server + backends:.2f}", f"{us_per_request(r['client_cpu_s'], n):.2f}",
                f"{100.0 * r['executed'] / n:.1f}%"))
        print()

    if "direct" not in targets:
        return
    print("Ratios to direct, requests per second | server CPU per request:")
    print(("{:<12}" + " {:>13}" * len(cases)).format(
        "", *[f"{t} -P {p}" for t, p in cases]))
    for target in targets:
        if target == "direct":
            continue
        cells = []
        for test, pipeline in cases:
            r = by_key.get((test, pipeline, target))
            d = by_key.get((test, pipeline, "direct"))
            if r is None or d is None:
                cells.append("-")
                continue
            cpu = r["front_cpu_s"] / r["requests"]
            base = d["front_cpu_s"] / d["requests"]
            cells.append(f"{r['rps'] / d['rps']:.2f} | {fmt_ratio(cpu, base)}")
        print(("{:<12}" + " {:>13}" * len(cases)).format(target, *cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ports")
    p.add_argument("--single", type=int, default=1)
    p.add_argument("--cluster", type=int, default=3)
    p.set_defaults(func=cmd_ports)
    p = sub.add_parser("measure")
    p.add_argument("--out", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--test", choices=["set", "get"], required=True)
    p.add_argument("--pipeline", type=int, default=1)
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--data-size", type=int, default=64)
    p.add_argument("--keyspace", type=int, default=100000)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--front", type=int, required=True)
    p.add_argument("--backend", action="append", default=[])
    p.set_defaults(func=cmd_measure)
    p = sub.add_parser("report")
    p.add_argument("file")
    p.add_argument("--header", action="append", default=[])
    p.set_defaults(func=cmd_report)
    args = parser.parse_args()
    try:
        args.func(args)
    except Gone as e:  # a server died or stopped answering: one line, not a traceback
        sys.exit(f"bench.py: {e}")
    except KeyboardInterrupt:
        # Die of SIGINT, quietly, so the calling shell sees a Ctrl-C and stops too.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A scripted workload run with redis-py, a widely used client from outside slotgate, against
one Redis endpoint: a plain redis-server (which proves every expected reply is Redis's own) or
slotgate in front of a cluster (which must give the same replies).

Keys that one command or one transaction uses together share a {hash tag}, so every step is
valid through a cluster proxy too. Every reply is compared exactly. A step stops at its first
mismatch, printing what was sent, what came back and what Redis answers; the other steps
still run, so one missing feature does not hide the state of the rest. Each step has a
deadline. Exit status 0 only when every step passed.

Usage: /usr/bin/python3 redis_py_workload.py --host 127.0.0.1 --port PORT [--only STEP,...]
"""

import argparse
import hashlib
import signal
import sys
import threading
import time
import traceback

import redis
from redis.crc import key_slot

STEP_DEADLINE_S = 15
SOCKET_TIMEOUT_S = 10


class Mismatch(Exception):
    pass


class StepTimeout(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise Mismatch(f"{what}: got {got!r}, want {want!r}")


def expect_error(what, call, want_message):
    try:
        got = call()
    except redis.ResponseError as e:
        expect(what + " (error text)", str(e), want_message)
        return
    raise Mismatch(f"{what}: got reply {got!r}, want error {want_message!r}")


def wait_for(what, condition, deadline_s=5.0):
    """Polls `condition` until it is true; a Mismatch once `deadline_s` passed. Each poll is a
    request to the server, so the loop waits on the server's answers, not on a timer."""
    until = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < until:
        ok, last = condition()
        if ok:
            return
    raise Mismatch(f"{what}: still {last!r} after {deadline_s} s")


class Workload:
    def __init__(self, host, port):
        self.host = host
        self.port = port

    def client(self, **kwargs):
        return redis.Redis(host=self.host, port=self.port, decode_responses=True,
                           socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=5,
                           **kwargs)

    # -- data types ---------------------------------------------------------------------------

    def step_connection(self):
        r = self.client(single_connection_client=True)
        expect("PING", r.ping(), True)
        expect("ECHO hello", r.echo("hello"), "hello")
        expect("CLIENT SETNAME", r.client_setname("workload"), True)
        expect("CLIENT GETNAME", r.client_getname(), "workload")
        expect("SELECT 0", r.execute_command("SELECT", 0), True)
        expect_error("GET with no key", lambda: r.execute_command("GET"),
                     "wrong number of arguments for 'get' command")

    def step_strings(self):
        r = self.client()
        r.delete("{str}a", "{str}b", "{str}n", "{str}f", "{str}t", "{str}x")
        expect("SET", r.set("{str}a", "hello"), True)
        expect("GET", r.get("{str}a"), "hello")
        expect("GET missing", r.get("{str}missing"), None)
        expect("APPEND", r.append("{str}a", " world"), 11)
        expect("STRLEN", r.strlen("{str}a"), 11)
        expect("GETRANGE", r.getrange("{str}a", 0, 4), "hello")
        expect("SETRANGE", r.setrange("{str}a", 6, "there"), 11)
        expect("GET after SETRANGE", r.get("{str}a"), "hello there")
        expect("SET NX on existing", r.set("{str}a", "x", nx=True), None)
        expect("SET XX GET", r.set("{str}a", "bye", xx=True, get=True), "hello there")
        expect("SETNX new", r.setnx("{str}b", "1"), True)
        expect("SETNX existing", r.setnx("{str}b", "2"), False)
        expect("INCR", r.incr("{str}n"), 1)
        expect("INCRBY", r.incrby("{str}n", 41), 42)
        expect("DECRBY", r.decrby("{str}n", 2), 40)
        expect("INCRBYFLOAT", r.incrbyfloat("{str}f", 1.5), 1.5)
        expect("INCRBYFLOAT again", r.incrbyfloat("{str}f", 0.25), 1.75)
        expect_error("INCR on text", lambda: r.incr("{str}a"),
                     "value is not an integer or out of range")
        expect("SETEX", r.setex("{str}t", 100, "v"), True)
        ttl = r.ttl("{str}t")
        if not 90 <= ttl <= 100:
            raise Mismatch(f"TTL after SETEX 100: got {ttl!r}, want 90..100")
        expect("PERSIST", r.persist("{str}t"), True)
        expect("TTL after PERSIST", r.ttl("{str}t"), -1)
        expect("TTL missing", r.ttl("{str}missing"), -2)
        expect("GETSET", r.getset("{str}b", "3"), "1")
        expect("GETDEL", r.getdel("{str}b"), "3")
        expect("EXISTS after GETDEL", r.exists("{str}b"), 0)
        expect("MSETNX one slot", r.msetnx({"{str}x": "1", "{str}b": "2"}), True)
        expect("MSETNX again", r.msetnx({"{str}x": "9", "{str}y": "9"}), False)
        expect("MGET one slot", r.mget("{str}x", "{str}b", "{str}y"), ["1", "2", None])
        expect("TYPE", r.type("{str}a"), "string")
        expect("TYPE missing", r.type("{str}missing"), "none")
        expect("DEL", r.delete("{str}a", "{str}b", "{str}missing"), 2)

    def step_hashes(self):
        r = self.client()
        r.delete("{h}user")
        expect("HSET mapping", r.hset("{h}user", mapping={"name": "ada", "age": "36"}), 2)
        expect("HSET update", r.hset("{h}user", "age", "37"), 0)
        expect("HGET", r.hget("{h}user", "name"), "ada")
        expect("HGET missing field", r.hget("{h}user", "nope"), None)
        expect("HGETALL", r.hgetall("{h}user"), {"name": "ada", "age": "37"})
        expect("HMGET", r.hmget("{h}user", ["age", "nope", "name"]), ["37", None, "ada"])
        expect("HINCRBY", r.hincrby("{h}user", "age", 3), 40)
        expect("HINCRBYFLOAT", r.hincrbyfloat("{h}user", "score", 2.5), 2.5)
        expect("HSETNX existing", r.hsetnx("{h}user", "name", "bob"), False)
        expect("HSETNX new", r.hsetnx("{h}user", "city", "london"), True)
        expect("HKEYS", r.hkeys("{h}user"), ["name", "age", "score", "city"])
        expect("HVALS", r.hvals("{h}user"), ["ada", "40", "2.5", "london"])
        expect("HLEN", r.hlen("{h}user"), 4)
        expect("HEXISTS", r.hexists("{h}user", "city"), True)
        expect("HSTRLEN", r.hstrlen("{h}user", "city"), 6)
        expect("HDEL", r.hdel("{h}user", "city", "nope"), 1)
        expect("HEXISTS deleted", r.hexists("{h}user", "city"), False)
        expect("TYPE", r.type("{h}user"), "hash")
        expect_error("GET on a hash", lambda: r.get("{h}user"),
                     "WRONGTYPE Operation against a key holding the wrong kind of value")

    def step_lists(self):
        r = self.client()
        r.delete("{l}a", "{l}b")
        expect("RPUSH", r.rpush("{l}a", "1", "2", "3"), 3)
        expect("LPUSH", r.lpush("{l}a", "0"), 4)
        expect("LRANGE", r.lrange("{l}a", 0, -1), ["0", "1", "2", "3"])
        expect("LLEN", r.llen("{l}a"), 4)
        expect("LINDEX", r.lindex("{l}a", -1), "3")
        expect("LSET", r.lset("{l}a", 1, "one"), True)
        expect("LINSERT", r.linsert("{l}a", "BEFORE", "2", "1.5"), 5)
        expect("LPOS", r.lpos("{l}a", "2"), 3)
        expect("RPUSH dupes", r.rpush("{l}a", "x", "x"), 7)
        expect("LREM", r.lrem("{l}a", 0, "x"), 2)
        expect("LRANGE after", r.lrange("{l}a", 0, -1), ["0", "one", "1.5", "2", "3"])
        expect("LPOP", r.lpop("{l}a"), "0")
        expect("RPOP", r.rpop("{l}a"), "3")
        expect("LPOP count", r.lpop("{l}a", 2), ["one", "1.5"])
        expect("LMOVE", r.lmove("{l}a", "{l}b", "LEFT", "RIGHT"), "2")
        expect("RPOPLPUSH empty source", r.rpoplpush("{l}a", "{l}b"), None)
        expect("LRANGE destination", r.lrange("{l}b", 0, -1), ["2"])
        expect("RPUSH", r.rpush("{l}b", "a", "b", "c", "d"), 5)
        expect("LTRIM", r.ltrim("{l}b", 1, 2), True)
        expect("LRANGE trimmed", r.lrange("{l}b", 0, -1), ["a", "b"])
        expect("EXISTS emptied list", r.exists("{l}a"), 0)

    def step_sets(self):
        r = self.client()
        r.delete("{s}a", "{s}b", "{s}c")
        expect("SADD", r.sadd("{s}a", "x", "y", "z", "x"), 3)
        expect("SADD", r.sadd("{s}b", "y", "z", "w"), 3)
        expect("SMEMBERS", r.smembers("{s}a"), {"x", "y", "z"})
        expect("SCARD", r.scard("{s}a"), 3)
        expect("SISMEMBER", r.sismember("{s}a", "x"), True)
        expect("SISMEMBER no", r.sismember("{s}a", "w"), False)
        expect("SMISMEMBER", r.smismember("{s}a", ["w", "x"]), [False, True])
        expect("SINTER", r.sinter("{s}a", "{s}b"), {"y", "z"})
        expect("SUNION", r.sunion("{s}a", "{s}b"), {"w", "x", "y", "z"})
        expect("SDIFF", r.sdiff("{s}a", "{s}b"), {"x"})
        expect("SINTERSTORE", r.sinterstore("{s}c", ["{s}a", "{s}b"]), 2)
        expect("SINTERCARD", r.execute_command("SINTERCARD", 2, "{s}a", "{s}b"), 2)
        expect("SMOVE", r.smove("{s}a", "{s}b", "x"), True)
        expect("SREM", r.srem("{s}b", "x", "nope"), 1)
        popped = r.spop("{s}c")
        if popped not in {"y", "z"}:
            raise Mismatch(f"SPOP: got {popped!r}, want y or z")
        expect("SMEMBERS after SPOP", r.smembers("{s}c"), {"y", "z"} - {popped})
        expect("SRANDMEMBER one member", r.srandmember("{s}c"), ({"y", "z"} - {popped}).pop())
        expect("TYPE", r.type("{s}a"), "set")

    def step_sorted_sets(self):
        r = self.client()
        r.delete("{z}a", "{z}b", "{z}u")
        expect("ZADD", r.zadd("{z}a", {"a": 1, "b": 2, "c": 3}), 3)
        expect("ZADD update", r.zadd("{z}a", {"a": 4}), 0)
        expect("ZRANGE WITHSCORES", r.zrange("{z}a", 0, -1, withscores=True),
               [("b", 2.0), ("c", 3.0), ("a", 4.0)])
        expect("ZREVRANGE", r.zrevrange("{z}a", 0, 0), ["a"])
        expect("ZRANGEBYSCORE", r.zrangebyscore("{z}a", 2, 3), ["b", "c"])
        expect("ZSCORE", r.zscore("{z}a", "c"), 3.0)
        expect("ZSCORE missing", r.zscore("{z}a", "nope"), None)
        expect("ZINCRBY", r.zincrby("{z}a", 0.5, "b"), 2.5)
        expect("ZRANK", r.zrank("{z}a", "a"), 2)
        expect("ZCOUNT", r.zcount("{z}a", "-inf", "+inf"), 3)
        expect("ZCARD", r.zcard("{z}a"), 3)
        expect("ZADD b", r.zadd("{z}b", {"a": 10, "d": 1}), 2)
        expect("ZUNIONSTORE", r.zunionstore("{z}u", ["{z}a", "{z}b"]), 4)
        expect("ZRANGE union", r.zrange("{z}u", 0, -1, withscores=True),
               [("d", 1.0), ("b", 2.5), ("c", 3.0), ("a", 14.0)])
        expect("ZPOPMIN", r.zpopmin("{z}u", 2), [("d", 1.0), ("b", 2.5)])
        expect("ZREM", r.zrem("{z}a", "a", "nope"), 1)
        expect("ZRANGE after ZREM", r.zrange("{z}a", 0, -1), ["b", "c"])
        expect("TYPE", r.type("{z}a"), "zset")

    def step_streams(self):
        r = self.client()
        r.delete("{x}s")
        expect("XADD", r.xadd("{x}s", {"f": "1"}, id="1-1"), "1-1")
        expect("XADD", r.xadd("{x}s", {"f": "2"}, id="1-2"), "1-2")
        expect("XADD", r.xadd("{x}s", {"f": "3", "g": "x"}, id="2-0"), "2-0")
        expect_error("XADD smaller id", lambda: r.xadd("{x}s", {"f": "0"}, id="1-0"),
                     "The ID specified in XADD is equal or smaller than the target stream "
                     "top item")
        expect("XLEN", r.xlen("{x}s"), 3)
        expect("XRANGE", r.xrange("{x}s"),
               [("1-1", {"f": "1"}), ("1-2", {"f": "2"}), ("2-0", {"f": "3", "g": "x"})])
        expect("XRANGE bounded", r.xrange("{x}s", min="1-2", max="+", count=1),
               [("1-2", {"f": "2"})])
        expect("XREVRANGE", r.xrevrange("{x}s", count=1), [("2-0", {"f": "3", "g": "x"})])
        expect("XREAD", r.xread({"{x}s": "1-1"}),
               [["{x}s", [("1-2", {"f": "2"}), ("2-0", {"f": "3", "g": "x"})]]])
        expect("XREAD nothing new", r.xread({"{x}s": "2-0"}), [])
        expect("XGROUP CREATE", r.xgroup_create("{x}s", "grp", id="0"), True)
        expect_error("XGROUP CREATE again", lambda: r.xgroup_create("{x}s", "grp", id="0"),
                     "BUSYGROUP Consumer Group name already exists")
        expect("XREADGROUP", r.xreadgroup("grp", "alice", {"{x}s": ">"}, count=2),
               [["{x}s", [("1-1", {"f": "1"}), ("1-2", {"f": "2"})]]])
        expect("XPENDING", r.xpending("{x}s", "grp"),
               {"pending": 2, "min": "1-1", "max": "1-2",
                "consumers": [{"name": "alice", "pending": 2}]})
        expect("XACK", r.xack("{x}s", "grp", "1-1", "9-9"), 1)
        expect("XREADGROUP rest", r.xreadgroup("grp", "bob", {"{x}s": ">"}),
               [["{x}s", [("2-0", {"f": "3", "g": "x"})]]])
        expect("XACK rest", r.xack("{x}s", "grp", "1-2", "2-0"), 2)
        expect("XPENDING after XACK", r.xpending("{x}s", "grp"),
               {"pending": 0, "min": None, "max": None, "consumers": []})
        expect("XDEL", r.xdel("{x}s", "1-1"), 1)
        expect("XTRIM", r.xtrim("{x}s", maxlen=1, approximate=False), 1)
        expect("XRANGE after XTRIM", r.xrange("{x}s"), [("2-0", {"f": "3", "g": "x"})])
        expect("TYPE", r.type("{x}s"), "stream")

    # -- many connections' worth of behaviour -------------------------------------------------

    def step_transactions(self):
        r = self.client()
        other = self.client()
        r.delete("{tx}a", "{tx}l", "{tx}w", "{tx}s")
        pipe = r.pipeline(transaction=True)
        pipe.set("{tx}a", "1").incr("{tx}a").lpush("{tx}l", "x").get("{tx}a")
        expect("MULTI/EXEC", pipe.execute(), [True, 2, 1, "2"])

        pipe = r.pipeline(transaction=True)
        pipe.set("{tx}s", "text").incr("{tx}s").get("{tx}s")
        got = pipe.execute(raise_on_error=False)
        got = [str(g) if isinstance(g, redis.ResponseError) else g for g in got]
        expect("MULTI/EXEC with a failing command",
               got, [True, "value is not an integer or out of range", "text"])

        r.set("{tx}w", "start")
        with r.pipeline() as pipe:
            pipe.watch("{tx}w")
            expect("GET under WATCH", pipe.get("{tx}w"), "start")
            pipe.multi()
            pipe.set("{tx}w", "mine")
            expect("EXEC with WATCH and no conflict", pipe.execute(), [True])

        with r.pipeline() as pipe:
            pipe.watch("{tx}w")
            expect("GET under WATCH", pipe.get("{tx}w"), "mine")
            expect("conflicting SET from another connection", other.set("{tx}w", "theirs"),
                   True)
            pipe.multi()
            pipe.set("{tx}w", "lost")
            try:
                got = pipe.execute()
                raise Mismatch(f"EXEC after a conflicting write: got {got!r}, want nil "
                               "(redis-py raises WatchError)")
            except redis.WatchError:
                pass
        expect("value after the aborted EXEC", r.get("{tx}w"), "theirs")

        def transfer(pipe):
            value = int(pipe.get("{tx}a"))
            pipe.multi()
            pipe.set("{tx}a", value * 10)
        expect("transaction() helper", r.transaction(transfer, "{tx}a"), [True])
        expect("GET after transaction()", r.get("{tx}a"), "20")

        c = self.client(single_connection_client=True)
        expect("WATCH", c.execute_command("WATCH", "{tx}a"), True)
        expect("UNWATCH", c.execute_command("UNWATCH"), True)
        expect("MULTI", c.execute_command("MULTI"), "OK")
        expect("queued INCR", c.execute_command("INCR", "{tx}a"), "QUEUED")
        expect("DISCARD", c.execute_command("DISCARD"), "OK")
        expect("GET after DISCARD", c.get("{tx}a"), "20")
        expect_error("EXEC without MULTI", lambda: c.execute_command("EXEC"),
                     "EXEC without MULTI")

    def step_pipelines(self):
        r = self.client()
        keys = [f"pl:{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
        values = {k: f"v{i}" for i, k in enumerate(keys)}
        r.delete(*keys, "pl:counter")
        pipe = r.pipeline(transaction=False)
        pipe.mset(values)
        pipe.mget(keys)
        pipe.incr("pl:counter")
        pipe.exists(*keys)
        pipe.get("pl:missing")
        pipe.delete(*keys)
        pipe.mget(keys)
        pipe.incr("pl:counter")
        expect("cross-slot pipeline", pipe.execute(),
               [True, [values[k] for k in keys], 1, 26, None, 26, [None] * 26, 2])

        pipe = r.pipeline(transaction=False)
        for i in range(500):
            pipe.set(f"pl:n:{i}", str(i))
            pipe.get(f"pl:n:{i}")
        want = []
        for i in range(500):
            want += [True, str(i)]
        expect("1000-command pipeline", pipe.execute(), want)
        expect("DEL of 500 keys", r.delete(*[f"pl:n:{i}" for i in range(500)]), 500)

    def step_many_slots(self):
        r = self.client()
        keys = [f"mk:{i}" for i in range(600)]
        slots = {key_slot(k.encode()) for k in keys}
        # A three-master cluster splits the slots in thirds: cover each third, and many slots.
        for low, high in ((0, 5460), (5461, 10922), (10923, 16383)):
            if not any(low <= s <= high for s in slots):
                raise Mismatch(f"workload keys miss slots {low}-{high}")
        if len(slots) < 500:
            raise Mismatch(f"workload keys cover only {len(slots)} slots")
        expect("FLUSHALL", r.flushall(), True)
        expect("DBSIZE empty", r.dbsize(), 0)
        for i, k in enumerate(keys):
            expect(f"SET {k}", r.set(k, f"value-{i}"), True)
        for i, k in enumerate(keys[:50]):
            expect(f"GET {k}", r.get(k), f"value-{i}")
        expect("MGET across slots", r.mget(keys), [f"value-{i}" for i in range(len(keys))])
        expect("DBSIZE", r.dbsize(), len(keys))
        expect("KEYS mk:*", sorted(r.keys("mk:*")), sorted(keys))
        expect("SCAN mk:*", sorted(set(r.scan_iter(match="mk:*", count=100))), sorted(keys))
        expect("EXISTS across slots", r.exists(*keys), len(keys))
        expect("UNLINK across slots", r.unlink(*keys[:100]), 100)
        expect("DEL across slots", r.delete(*keys), len(keys) - 100)
        expect("DBSIZE after DEL", r.dbsize(), 0)

    def step_scripts(self):
        r = self.client()
        r.delete("{sc}a", "{sc}n")
        expect("EVAL echoing keys and args",
               r.eval("return {KEYS[1], ARGV[1], #KEYS, #ARGV}", 1, "{sc}k", "v"),
               ["{sc}k", "v", 1, 1])
        expect("EVAL writing", r.eval(
            "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
            1, "{sc}a", "x"), "x")
        expect("EVAL two keys one slot", r.eval(
            "return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, "{sc}a", "{sc}b"), 1)
        expect("EVAL no keys", r.eval("return 7", 0), 7)
        expect_error("EVAL error_reply", lambda: r.eval("return redis.error_reply('boom')", 0),
                     "boom")
        source = "return redis.call('INCRBY', KEYS[1], ARGV[1])"
        sha = hashlib.sha1(source.encode()).hexdigest()
        expect("SCRIPT LOAD", r.script_load(source), sha)
        expect("EVALSHA", r.evalsha(sha, 1, "{sc}n", 5), 5)
        expect("SCRIPT EXISTS", r.script_exists(sha, "0" * 40), [True, False])
        expect("SCRIPT FLUSH", r.script_flush(), True)
        expect("SCRIPT EXISTS after FLUSH", r.script_exists(sha), [False])
        expect_error("EVALSHA after FLUSH", lambda: r.evalsha(sha, 1, "{sc}n", 1),
                     "No matching script. Please use EVAL.")
        incr = r.register_script(source)
        expect("register_script after FLUSH (EVALSHA, NOSCRIPT, SCRIPT LOAD, EVALSHA)",
               incr(keys=["{sc}n"], args=[2]), 7)
        expect("register_script again", incr(keys=["{sc}n"], args=[3]), 10)
        pipe = r.pipeline()
        incr(keys=["{sc}n"], args=[1], client=pipe)
        pipe.get("{sc}n")
        expect("register_script in a transaction", pipe.execute(), [11, "11"])

    def step_pubsub(self):
        r = self.client()
        p = self.client().pubsub()
        try:
            def next_message(what, want):
                # get_message waits on the socket for up to its timeout.
                until = time.monotonic() + 5
                while time.monotonic() < until:
                    message = p.get_message(timeout=until - time.monotonic())
                    if message is not None:
                        expect(what, message, want)
                        return
                raise Mismatch(f"{what}: no message within 5 s, want {want!r}")

            p.subscribe("{ps}news")
            next_message("SUBSCRIBE confirmation",
                         {"type": "subscribe", "pattern": None, "channel": "{ps}news",
                          "data": 1})
            expect("PUBSUB NUMSUB", r.pubsub_numsub("{ps}news"), [("{ps}news", 1)])
            expect("PUBLISH to one subscriber", r.publish("{ps}news", "hello"), 1)
            next_message("message", {"type": "message", "pattern": None,
                                     "channel": "{ps}news", "data": "hello"})
            p.psubscribe("{ps}n*")
            next_message("PSUBSCRIBE confirmation",
                         {"type": "psubscribe", "pattern": None, "channel": "{ps}n*",
                          "data": 2})
            expect("PUBSUB NUMPAT", r.pubsub_numpat(), 1)
            expect("PUBLISH to channel and pattern", r.publish("{ps}news", "both"), 2)
            next_message("message to the channel",
                         {"type": "message", "pattern": None, "channel": "{ps}news",
                          "data": "both"})
            next_message("message to the pattern",
                         {"type": "pmessage", "pattern": "{ps}n*", "channel": "{ps}news",
                          "data": "both"})
            expect("PUBLISH to nobody", r.publish("{ps}other", "x"), 0)
            p.unsubscribe("{ps}news")
            next_message("UNSUBSCRIBE confirmation",
                         {"type": "unsubscribe", "pattern": None, "channel": "{ps}news",
                          "data": 1})
            expect("PUBLISH to the pattern only", r.publish("{ps}nest", "p"), 1)
            next_message("pattern message",
                         {"type": "pmessage", "pattern": "{ps}n*", "channel": "{ps}nest",
                          "data": "p"})
            p.punsubscribe("{ps}n*")
            next_message("PUNSUBSCRIBE confirmation",
                         {"type": "punsubscribe", "pattern": None, "channel": "{ps}n*",
                          "data": 0})
            expect("PUBLISH after unsubscribing", r.publish("{ps}news", "gone"), 0)
            expect("PUBSUB NUMSUB after", r.pubsub_numsub("{ps}news"), [("{ps}news", 0)])
        finally:
            p.close()

    def step_blocking(self):
        r = self.client()
        r.delete("{bl}q", "{bl}dst")
        started = time.monotonic()
        expect("BLPOP on an empty list with a 1 s timeout", r.blpop("{bl}q", timeout=1), None)
        waited = time.monotonic() - started
        if not 0.9 <= waited < 5:
            raise Mismatch(f"BLPOP with a 1 s timeout answered after {waited:.2f} s")

        result = {}

        def pop():
            try:
                result["reply"] = self.client().blpop("{bl}q", timeout=10)
            except Exception as e:  # reported by the main thread
                result["reply"] = e

        popper = threading.Thread(target=pop, daemon=True)
        popper.start()
        # Other connections keep being served while one client is blocked.
        for i in range(20):
            expect("SET while a client is blocked", r.set(f"{{bl}}busy{i}", i), True)
        expect("RPUSH to the blocked list", r.rpush("{bl}q", "job"), 1)
        popper.join(timeout=10)
        if popper.is_alive():
            raise Mismatch("BLPOP did not return within 10 s of the RPUSH")
        expect("BLPOP woken by RPUSH from another connection", result["reply"],
               ("{bl}q", "job"))
        expect("LLEN after BLPOP", r.llen("{bl}q"), 0)
        expect("RPUSH", r.rpush("{bl}q", "a"), 1)
        expect("BLMOVE with data", r.blmove("{bl}q", "{bl}dst", 1, "LEFT", "RIGHT"), "a")
        expect("BRPOP with data", r.brpop("{bl}dst", timeout=1), ("{bl}dst", "a"))
        r.delete(*[f"{{bl}}busy{i}" for i in range(20)])


def on_alarm(signum, frame):
    raise StepTimeout()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--only", default="", help="comma-separated step names")
    args = parser.parse_args()

    workload = Workload(args.host, args.port)
    steps = [name[len("step_"):] for name in Workload.__dict__ if name.startswith("step_")]
    if args.only:
        wanted = args.only.split(",")
        unknown = [s for s in wanted if s not in steps]
        if unknown:
            print(f"unknown steps {unknown}; steps are {steps}")
            return 2
        steps = [s for s in steps if s in wanted]

    signal.signal(signal.SIGALRM, on_alarm)
    failed = []
    for step in steps:
        signal.alarm(STEP_DEADLINE_S)
        try:
            getattr(workload, "step_" + step)()
            signal.alarm(0)
            print(f"PASS {step}", flush=True)
        except StepTimeout:
            failed.append(step)
            print(f"FAIL {step}: no result within {STEP_DEADLINE_S} s", flush=True)
        except Mismatch as e:
            signal.alarm(0)
            failed.append(step)
            print(f"FAIL {step}: {e}", flush=True)
        except Exception as e:
            signal.alarm(0)
            failed.append(step)
            where = traceback.extract_tb(e.__traceback__)
            line = next((f.lineno for f in reversed(where) if f.filename == __file__), "?")
            print(f"FAIL {step}: {type(e).__name__}: {e} (workload line {line})", flush=True)
    print(f"redis-py {redis.__version__} workload: {len(steps) - len(failed)} of {len(steps)} "
          f"steps passed" + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

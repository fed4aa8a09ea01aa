#!/usr/bin/env node
// A scripted workload run with ioredis, a widely used client from outside slotgate, against one
// Redis endpoint: a plain redis-server (which proves every expected reply is Redis's own) or
// slotgate in front of a cluster (which must give the same replies).
//
// Keys that one command or one transaction uses together share a {hash tag}, so every step is
// valid through a cluster proxy too. Every reply is compared exactly. A step stops at its
// first mismatch, printing what was sent, what came back and what Redis answers; the other
// steps still run, so one missing feature does not hide the state of the rest. Each step has a
// deadline. Exit status 0 only when every step passed.
//
// Usage: node ioredis_workload.js --host 127.0.0.1 --port PORT [--only STEP,...]
'use strict';

const crypto = require('crypto');
const util = require('util');
const Redis = require('ioredis');

const STEP_DEADLINE_MS = 15000;
const COMMAND_TIMEOUT_MS = 10000;

class Mismatch extends Error {}

function show(value) {
  return util.inspect(value, { depth: 6, breakLength: Infinity });
}

function expect(what, got, want) {
  if (!util.isDeepStrictEqual(got, want)) {
    throw new Mismatch(`${what}: got ${show(got)}, want ${show(want)}`);
  }
}

async function expectError(what, promise, wantMessage) {
  let got;
  try {
    got = await promise;
  } catch (e) {
    expect(`${what} (error text)`, e.message, wantMessage);
    return;
  }
  throw new Mismatch(`${what}: got reply ${show(got)}, want error ${show(wantMessage)}`);
}

// Messages delivered to a subscriber, awaited one at a time with a deadline.
class Inbox {
  constructor(subscriber) {
    this.queue = [];
    this.waiter = null;
    subscriber.on('message', (channel, message) => this.push(['message', channel, message]));
    subscriber.on('pmessage', (pattern, channel, message) =>
      this.push(['pmessage', pattern, channel, message]));
  }
  push(item) {
    this.queue.push(item);
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake();
    }
  }
  async next(what, want, deadlineMs = 5000) {
    if (this.queue.length === 0) {
      let timer;
      await Promise.race([
        new Promise((resolve) => { this.waiter = resolve; }),
        new Promise((resolve) => { timer = setTimeout(resolve, deadlineMs); }),
      ]);
      clearTimeout(timer);
      this.waiter = null;
    }
    if (this.queue.length === 0) {
      throw new Mismatch(`${what}: no message within ${deadlineMs} ms, want ${show(want)}`);
    }
    expect(what, this.queue.shift(), want);
  }
}

class Workload {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.clients = [];
  }

  client() {
    const c = new Redis({
      host: this.host,
      port: this.port,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 5000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,  // a lost connection is a failure here, not something to hide
      lazyConnect: false,
    });
    c.on('error', () => {});  // surfaced through the failing command instead
    this.clients.push(c);
    return c;
  }

  closeClients() {
    for (const c of this.clients) c.disconnect();
    this.clients = [];
  }

  async connection() {
    const r = this.client();
    expect('PING', await r.ping(), 'PONG');
    expect('PING message', await r.ping('hi'), 'hi');
    expect('ECHO', await r.echo('hello'), 'hello');
    expect('CLIENT SETNAME', await r.client('SETNAME', 'workload'), 'OK');
    expect('CLIENT GETNAME', await r.client('GETNAME'), 'workload');
    expect('SELECT 0', await r.select(0), 'OK');
    await expectError('GET with no key', r.call('GET'),
      "ERR wrong number of arguments for 'get' command");
  }

  async strings() {
    const r = this.client();
    await r.del('{str}a', '{str}b', '{str}n', '{str}f', '{str}t', '{str}x');
    expect('SET', await r.set('{str}a', 'hello'), 'OK');
    expect('GET', await r.get('{str}a'), 'hello');
    expect('GET missing', await r.get('{str}missing'), null);
    expect('GETBUFFER', await r.getBuffer('{str}a'), Buffer.from('hello'));
    expect('APPEND', await r.append('{str}a', ' world'), 11);
    expect('STRLEN', await r.strlen('{str}a'), 11);
    expect('GETRANGE', await r.getrange('{str}a', 0, 4), 'hello');
    expect('SET NX on existing', await r.set('{str}a', 'x', 'NX'), null);
    expect('SET XX GET', await r.set('{str}a', 'bye', 'XX', 'GET'), 'hello world');
    expect('SETNX new', await r.setnx('{str}b', '1'), 1);
    expect('SETNX existing', await r.setnx('{str}b', '2'), 0);
    expect('INCR', await r.incr('{str}n'), 1);
    expect('INCRBY', await r.incrby('{str}n', 41), 42);
    expect('DECR', await r.decr('{str}n'), 41);
    expect('INCRBYFLOAT', await r.incrbyfloat('{str}f', '1.5'), '1.5');
    await expectError('INCR on text', r.incr('{str}a'),
      'ERR value is not an integer or out of range');
    expect('SET EX', await r.set('{str}t', 'v', 'EX', 100), 'OK');
    const ttl = await r.ttl('{str}t');
    if (!(ttl >= 90 && ttl <= 100)) throw new Mismatch(`TTL: got ${ttl}, want 90..100`);
    expect('PTTL missing', await r.pttl('{str}missing'), -2);
    expect('GETDEL', await r.getdel('{str}b'), '1');
    expect('MSETNX one slot', await r.msetnx('{str}x', '1', '{str}b', '2'), 1);
    expect('MGET one slot', await r.mget('{str}x', '{str}b', '{str}y'), ['1', '2', null]);
    expect('TYPE', await r.type('{str}a'), 'string');
    expect('DEL', await r.del('{str}a', '{str}b', '{str}missing'), 2);
  }

  async hashes() {
    const r = this.client();
    await r.del('{h}user');
    expect('HSET object', await r.hset('{h}user', { name: 'ada', age: '36' }), 2);
    expect('HSET update', await r.hset('{h}user', 'age', '37'), 0);
    expect('HGET', await r.hget('{h}user', 'name'), 'ada');
    expect('HGETALL', await r.hgetall('{h}user'), { name: 'ada', age: '37' });
    expect('HGETALL missing', await r.hgetall('{h}missing'), {});
    expect('HMGET', await r.hmget('{h}user', 'age', 'nope', 'name'), ['37', null, 'ada']);
    expect('HINCRBY', await r.hincrby('{h}user', 'age', 3), 40);
    expect('HSETNX', await r.hsetnx('{h}user', 'city', 'paris'), 1);
    expect('HKEYS', await r.hkeys('{h}user'), ['name', 'age', 'city']);
    expect('HVALS', await r.hvals('{h}user'), ['ada', '40', 'paris']);
    expect('HLEN', await r.hlen('{h}user'), 3);
    expect('HEXISTS', await r.hexists('{h}user', 'city'), 1);
    expect('HDEL', await r.hdel('{h}user', 'city', 'nope'), 1);
    await expectError('LPUSH on a hash', r.lpush('{h}user', 'x'),
      'WRONGTYPE Operation against a key holding the wrong kind of value');
  }

  async lists() {
    const r = this.client();
    await r.del('{l}a', '{l}b');
    expect('RPUSH', await r.rpush('{l}a', '1', '2', '3'), 3);
    expect('LPUSH', await r.lpush('{l}a', '0'), 4);
    expect('LRANGE', await r.lrange('{l}a', 0, -1), ['0', '1', '2', '3']);
    expect('LINDEX', await r.lindex('{l}a', 1), '1');
    expect('LSET', await r.lset('{l}a', 1, 'one'), 'OK');
    expect('LINSERT', await r.linsert('{l}a', 'AFTER', '3', '4'), 5);
    expect('LREM', await r.lrem('{l}a', 1, 'one'), 1);
    expect('LPOP', await r.lpop('{l}a'), '0');
    expect('RPOP count', await r.rpop('{l}a', 2), ['4', '3']);
    expect('LMOVE', await r.lmove('{l}a', '{l}b', 'RIGHT', 'LEFT'), '2');
    expect('LLEN emptied', await r.llen('{l}a'), 0);
    expect('RPUSH', await r.rpush('{l}b', 'a', 'b', 'c'), 4);
    expect('LTRIM', await r.ltrim('{l}b', 0, 1), 'OK');
    expect('LRANGE trimmed', await r.lrange('{l}b', 0, -1), ['2', 'a']);
    expect('LPOS', await r.lpos('{l}b', 'a'), 1);
  }

  async sets() {
    const r = this.client();
    await r.del('{s}a', '{s}b', '{s}c');
    expect('SADD', await r.sadd('{s}a', 'x', 'y', 'z', 'x'), 3);
    expect('SADD', await r.sadd('{s}b', 'y', 'z', 'w'), 3);
    expect('SMEMBERS', (await r.smembers('{s}a')).sort(), ['x', 'y', 'z']);
    expect('SCARD', await r.scard('{s}a'), 3);
    expect('SISMEMBER', await r.sismember('{s}a', 'x'), 1);
    expect('SMISMEMBER', await r.smismember('{s}a', 'w', 'x'), [0, 1]);
    expect('SINTER', (await r.sinter('{s}a', '{s}b')).sort(), ['y', 'z']);
    expect('SUNION', (await r.sunion('{s}a', '{s}b')).sort(), ['w', 'x', 'y', 'z']);
    expect('SDIFF', await r.sdiff('{s}a', '{s}b'), ['x']);
    expect('SDIFFSTORE', await r.sdiffstore('{s}c', '{s}b', '{s}a'), 1);
    expect('SPOP single member', await r.spop('{s}c'), 'w');
    expect('SREM', await r.srem('{s}a', 'x', 'nope'), 1);
    expect('TYPE', await r.type('{s}a'), 'set');
  }

  async sortedSets() {
    const r = this.client();
    await r.del('{z}a', '{z}b', '{z}i');
    expect('ZADD', await r.zadd('{z}a', 1, 'a', 2, 'b', 3, 'c'), 3);
    expect('ZADD INCR', await r.zadd('{z}a', 'INCR', 10, 'a'), '11');
    expect('ZRANGE WITHSCORES', await r.zrange('{z}a', 0, -1, 'WITHSCORES'),
      ['b', '2', 'c', '3', 'a', '11']);
    expect('ZRANGE BYSCORE REV', await r.zrange('{z}a', '+inf', 3, 'BYSCORE', 'REV'),
      ['a', 'c']);
    expect('ZSCORE', await r.zscore('{z}a', 'b'), '2');
    expect('ZINCRBY', await r.zincrby('{z}a', 5, 'b'), '7');
    expect('ZREVRANK', await r.zrevrank('{z}a', 'b'), 1);
    expect('ZCARD', await r.zcard('{z}a'), 3);
    expect('ZADD b', await r.zadd('{z}b', 1, 'b', 1, 'x'), 2);
    expect('ZINTERSTORE', await r.zinterstore('{z}i', 2, '{z}a', '{z}b'), 1);
    expect('ZRANGE intersection', await r.zrange('{z}i', 0, -1, 'WITHSCORES'), ['b', '8']);
    expect('ZPOPMAX', await r.zpopmax('{z}a'), ['a', '11']);
    expect('ZREMRANGEBYSCORE', await r.zremrangebyscore('{z}a', '-inf', 3), 1);
    expect('ZRANGE left', await r.zrange('{z}a', 0, -1), ['b']);
  }

  async streams() {
    const r = this.client();
    await r.del('{x}s');
    expect('XADD', await r.xadd('{x}s', '1-1', 'f', '1'), '1-1');
    expect('XADD', await r.xadd('{x}s', '1-2', 'f', '2'), '1-2');
    expect('XADD', await r.xadd('{x}s', '2-0', 'f', '3', 'g', 'x'), '2-0');
    expect('XLEN', await r.xlen('{x}s'), 3);
    expect('XRANGE', await r.xrange('{x}s', '-', '+'),
      [['1-1', ['f', '1']], ['1-2', ['f', '2']], ['2-0', ['f', '3', 'g', 'x']]]);
    expect('XREVRANGE COUNT', await r.xrevrange('{x}s', '+', '-', 'COUNT', 1),
      [['2-0', ['f', '3', 'g', 'x']]]);
    expect('XREAD', await r.xread('COUNT', 1, 'STREAMS', '{x}s', '1-1'),
      [['{x}s', [['1-2', ['f', '2']]]]]);
    expect('XREAD nothing new', await r.xread('STREAMS', '{x}s', '2-0'), null);
    expect('XGROUP CREATE', await r.xgroup('CREATE', '{x}s', 'grp', '0'), 'OK');
    await expectError('XGROUP CREATE again', r.xgroup('CREATE', '{x}s', 'grp', '0'),
      'BUSYGROUP Consumer Group name already exists');
    expect('XREADGROUP', await r.xreadgroup('GROUP', 'grp', 'alice', 'COUNT', 2,
      'STREAMS', '{x}s', '>'), [['{x}s', [['1-1', ['f', '1']], ['1-2', ['f', '2']]]]]);
    expect('XPENDING', await r.xpending('{x}s', 'grp'), [2, '1-1', '1-2', [['alice', '2']]]);
    expect('XACK', await r.xack('{x}s', 'grp', '1-1', '1-2'), 2);
    expect('XREADGROUP history', await r.xreadgroup('GROUP', 'grp', 'alice',
      'STREAMS', '{x}s', '0'), [['{x}s', []]]);
    expect('XPENDING empty', await r.xpending('{x}s', 'grp'), [0, null, null, null]);
    expect('XTRIM', await r.xtrim('{x}s', 'MAXLEN', 1), 2);
    expect('XRANGE after XTRIM', await r.xrange('{x}s', '-', '+'),
      [['2-0', ['f', '3', 'g', 'x']]]);
  }

  async transactions() {
    const r = this.client();
    const other = this.client();
    await r.del('{tx}a', '{tx}s', '{tx}w');
    expect('MULTI/EXEC', await r.multi().set('{tx}a', '1').incr('{tx}a').get('{tx}a').exec(),
      [[null, 'OK'], [null, 2], [null, '2']]);

    const withError = await r.multi().set('{tx}s', 'text').incr('{tx}s').get('{tx}s').exec();
    expect('MULTI/EXEC with a failing command',
      withError.map(([err, value]) => (err ? `error: ${err.message}` : value)),
      ['OK', 'error: ERR value is not an integer or out of range', 'text']);

    await expectError('EXEC after a queuing error',
      r.multi().set('{tx}a', '5').call('NOSUCHCOMMAND').exec(),
      'EXECABORT Transaction discarded because of previous errors.');
    expect('value after EXECABORT', await r.get('{tx}a'), '2');

    expect('SET', await r.set('{tx}w', 'start'), 'OK');
    expect('WATCH', await r.watch('{tx}w'), 'OK');
    expect('GET under WATCH', await r.get('{tx}w'), 'start');
    expect('EXEC with WATCH and no conflict', await r.multi().set('{tx}w', 'mine').exec(),
      [[null, 'OK']]);

    expect('WATCH', await r.watch('{tx}w'), 'OK');
    expect('conflicting SET from another connection', await other.set('{tx}w', 'theirs'),
      'OK');
    expect('EXEC after a conflicting write', await r.multi().set('{tx}w', 'lost').exec(),
      null);
    expect('value after the aborted EXEC', await r.get('{tx}w'), 'theirs');

    expect('WATCH', await r.watch('{tx}w'), 'OK');
    expect('UNWATCH', await r.unwatch(), 'OK');
    expect('conflicting SET after UNWATCH', await other.set('{tx}w', 'again'), 'OK');
    expect('EXEC after UNWATCH', await r.multi().get('{tx}w').exec(), [[null, 'again']]);
  }

  async pipelines() {
    const r = this.client();
    const keys = 'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `pl:${c}`);
    const values = keys.map((k, i) => `v${i}`);
    const pairs = keys.flatMap((k, i) => [k, values[i]]);
    await r.del(...keys, 'pl:counter');
    const got = await r.pipeline()
      .mset(...pairs)
      .mget(...keys)
      .incr('pl:counter')
      .exists(...keys)
      .get('pl:missing')
      .del(...keys)
      .mget(...keys)
      .incr('pl:counter')
      .exec();
    expect('cross-slot pipeline', got,
      [[null, 'OK'], [null, values], [null, 1], [null, 26], [null, null], [null, 26],
        [null, keys.map(() => null)], [null, 2]]);

    // ioredis pipelines commands issued in one tick on its own, without .pipeline().
    const sets = [];
    for (let i = 0; i < 500; ++i) sets.push(r.set(`pl:n:${i}`, String(i)));
    expect('500 SETs in flight', await Promise.all(sets), sets.map(() => 'OK'));
    const gets = [];
    for (let i = 0; i < 500; ++i) gets.push(r.get(`pl:n:${i}`));
    expect('500 GETs in flight', await Promise.all(gets), gets.map((_, i) => String(i)));
    const many = [];
    for (let i = 0; i < 500; ++i) many.push(`pl:n:${i}`);
    expect('DEL of 500 keys', await r.del(...many), 500);
  }

  async manySlots() {
    const r = this.client();
    const keys = [];
    for (let i = 0; i < 600; ++i) keys.push(`mk:${i}`);
    expect('FLUSHALL', await r.flushall(), 'OK');
    const sets = await Promise.all(keys.map((k, i) => r.set(k, `value-${i}`)));
    expect('600 SETs', sets, keys.map(() => 'OK'));
    expect('MGET across slots', await r.mget(...keys), keys.map((k, i) => `value-${i}`));
    expect('DBSIZE', await r.dbsize(), keys.length);
    expect('KEYS', (await r.keys('mk:*')).sort(), [...keys].sort());
    const scanned = new Set();
    await new Promise((resolve, reject) => {
      const stream = r.scanStream({ match: 'mk:*', count: 100 });
      stream.on('data', (batch) => batch.forEach((k) => scanned.add(k)));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    expect('scanStream', [...scanned].sort(), [...keys].sort());
    expect('EXISTS across slots', await r.exists(...keys), keys.length);
    expect('DEL across slots', await r.del(...keys), keys.length);
    expect('DBSIZE after DEL', await r.dbsize(), 0);
  }

  async scripts() {
    const r = this.client();
    await r.del('{sc}a', '{sc}n');
    expect('EVAL echoing keys and args',
      await r.eval('return {KEYS[1], ARGV[1], #KEYS}', 1, '{sc}k', 'v'), ['{sc}k', 'v', 1]);
    expect('EVAL writing', await r.eval(
      "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])",
      1, '{sc}a', 'x'), 'x');
    expect('EVAL no keys', await r.eval('return 7', 0), 7);
    await expectError('EVAL error_reply', r.eval("return redis.error_reply('ERR boom')", 0),
      'ERR boom');
    const source = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
    const sha = crypto.createHash('sha1').update(source).digest('hex');
    expect('SCRIPT LOAD', await r.script('LOAD', source), sha);
    expect('EVALSHA', await r.evalsha(sha, 1, '{sc}n', 5), 5);
    expect('SCRIPT EXISTS', await r.script('EXISTS', sha, '0'.repeat(40)), [1, 0]);
    expect('SCRIPT FLUSH', await r.script('FLUSH'), 'OK');
    await expectError('EVALSHA after FLUSH', r.evalsha(sha, 1, '{sc}n', 1),
      'NOSCRIPT No matching script. Please use EVAL.');
    r.defineCommand('incrWorkload', { numberOfKeys: 1, lua: source });
    expect('defineCommand after FLUSH (EVALSHA, NOSCRIPT, EVAL)',
      await r.incrWorkload('{sc}n', 2), 7);
    expect('SCRIPT EXISTS after defineCommand', await r.script('EXISTS', sha), [1]);
    expect('defineCommand again', await r.incrWorkload('{sc}n', 3), 10);
    expect('defineCommand in a pipeline',
      await r.pipeline().incrWorkload('{sc}n', 1).get('{sc}n').exec(),
      [[null, 11], [null, '11']]);
  }

  async pubsub() {
    const r = this.client();
    const sub = this.client();
    const inbox = new Inbox(sub);
    expect('SUBSCRIBE', await sub.subscribe('{ps}news'), 1);
    expect('PUBSUB NUMSUB', await r.pubsub('NUMSUB', '{ps}news'), ['{ps}news', 1]);
    expect('PUBLISH to one subscriber', await r.publish('{ps}news', 'hello'), 1);
    await inbox.next('message', ['message', '{ps}news', 'hello']);
    expect('PSUBSCRIBE', await sub.psubscribe('{ps}n*'), 2);
    expect('PUBLISH to channel and pattern', await r.publish('{ps}news', 'both'), 2);
    await inbox.next('message to the channel', ['message', '{ps}news', 'both']);
    await inbox.next('message to the pattern', ['pmessage', '{ps}n*', '{ps}news', 'both']);
    expect('UNSUBSCRIBE', await sub.unsubscribe('{ps}news'), 1);
    expect('PUBLISH to the pattern only', await r.publish('{ps}nest', 'p'), 1);
    await inbox.next('pattern message', ['pmessage', '{ps}n*', '{ps}nest', 'p']);
    expect('PUNSUBSCRIBE', await sub.punsubscribe('{ps}n*'), 0);
    expect('PUBLISH after unsubscribing', await r.publish('{ps}news', 'gone'), 0);
    expect('commands again after leaving subscribe mode', await sub.ping(), 'PONG');
  }

  async blocking() {
    const r = this.client();
    const blocked = this.client();
    await r.del('{bl}q');
    const started = Date.now();
    expect('BLPOP on an empty list with a 1 s timeout', await r.blpop('{bl}q', 1), null);
    const waited = Date.now() - started;
    if (waited < 900 || waited >= 5000) {
      throw new Mismatch(`BLPOP with a 1 s timeout answered after ${waited} ms`);
    }
    expect('blocked connection ready', await blocked.ping(), 'PONG');
    const popped = blocked.blpop('{bl}q', 10);
    // Other connections keep being served while one client is blocked.
    for (let i = 0; i < 20; ++i) {
      expect('SET while a client is blocked', await r.set(`{bl}busy${i}`, i), 'OK');
    }
    expect('RPUSH to the blocked list', await r.rpush('{bl}q', 'job'), 1);
    expect('BLPOP woken by RPUSH from another connection', await popped, ['{bl}q', 'job']);
    expect('LLEN after BLPOP', await r.llen('{bl}q'), 0);
    expect('blocked connection usable again', await blocked.get('{bl}busy3'), '3');
    await r.del(...Array.from({ length: 20 }, (_, i) => `{bl}busy${i}`));
  }
}

const STEPS = ['connection', 'strings', 'hashes', 'lists', 'sets', 'sortedSets', 'streams',
  'transactions', 'pipelines', 'manySlots', 'scripts', 'pubsub', 'blocking'];

function parseArgs(argv) {
  const args = { host: '127.0.0.1', port: 0, only: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in args) || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    args[name] = name === 'port' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!args.port) throw new Error('--port is required');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let steps = STEPS;
  if (args.only) {
    const wanted = args.only.split(',');
    const unknown = wanted.filter((s) => !STEPS.includes(s));
    if (unknown.length) {
      console.log(`unknown steps ${unknown}; steps are ${STEPS}`);
      return 2;
    }
    steps = STEPS.filter((s) => wanted.includes(s));
  }
  const workload = new Workload(args.host, args.port);
  const failed = [];
  for (const step of steps) {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Mismatch(`no result within ${STEP_DEADLINE_MS} ms`)),
        STEP_DEADLINE_MS);
    });
    try {
      await Promise.race([workload[step](), deadline]);
      console.log(`PASS ${step}`);
    } catch (e) {
      failed.push(step);
      if (e instanceof Mismatch) {
        console.log(`FAIL ${step}: ${e.message}`);
      } else {
        const where = (e.stack || '').split('\n').find((l) => l.includes('ioredis_workload.js'));
        console.log(`FAIL ${step}: ${e.name}: ${e.message}${where ? ` (${where.trim()})` : ''}`);
      }
    } finally {
      clearTimeout(timer);
      workload.closeClients();
    }
  }
  const version = require('ioredis/package.json').version;
  console.log(`ioredis ${version} workload: ${steps.length - failed.length} of ${steps.length} ` +
    `steps passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`workload error: ${e.stack || e}`);
  process.exit(2);
});

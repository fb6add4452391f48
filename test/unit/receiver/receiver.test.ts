// The receiver against the fake engine and an in-memory transport: resolution,
// counters, dead letters, retries, offsets resolved only after handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Receiver, type BatchHandler, type DeadLetter, type ReceiveTransport } from '../../../receiver/index.js';
import { encodeHeartbeat, encodeRecord, type RouteResolver } from '../../../replication-protocol/index.js';
import type { RecordVersion } from '../../../record/index.js';
import { EngineError } from '../../../engine/index.js';
import { FakeEngine, fakeDigest } from '../../helpers/fake-engine.js';

const logger = pino({ level: 'silent' });
const NOW_MS = 1_800_000_000_000;

/** Test-local last-writer-wins (conflict/ has the real ones; this keeps the receiver tests about the receiver). */
const lww: RouteResolver = {
  name: 'lww',
  resolve(local, incoming) {
    if (local === null) return { action: 'take-incoming', reason: 'applied' };
    if (local.lut === incoming.lut && local.region === incoming.region) return { action: 'keep-local', reason: 'identical' };
    return incoming.lut > local.lut || (incoming.lut === local.lut && incoming.region > local.region) ? { action: 'take-incoming', reason: 'applied' } : { action: 'keep-local', reason: 'older' };
  },
};

class MemReceive implements ReceiveTransport {
  handler: BatchHandler | null = null;
  topics: string[] = [];
  letters: DeadLetter[] = [];
  resolved: string[] = [];
  starts = 0;
  stops = 0;
  dlqDown = 0;
  private next = 0;
  async start(topics: string[], handler: BatchHandler): Promise<void> {
    this.starts++;
    this.topics = topics;
    this.handler = handler;
  }
  async deadLetter(letter: DeadLetter): Promise<void> {
    if (this.dlqDown > 0) {
      this.dlqDown--;
      throw new Error('dlq down (test)');
    }
    this.letters.push(letter);
  }
  async stop(): Promise<void> {
    this.stops++;
  }
  async deliver(topic: string, values: Array<Buffer | null>): Promise<void> {
    const messages = values.map((value) => ({ offset: String(this.next++), key: null, value, timestampMs: 0 }));
    await this.handler!({ topic, partition: 0, highWatermark: String(this.next + 3), messages }, { resolveOffset: (o) => void this.resolved.push(o), heartbeat: async () => {}, isActive: () => true });
  }
}

function version(key: string, lutMs: number, region: number, bins: RecordVersion['bins'] = { v: key }): RecordVersion {
  const lut = lutMs * 1024;
  return { ns: 'test', set: 's', digest: fakeDigest('s', key), key, generation: 1, voidTime: 0, lut, region, deleted: false, bins, binLuts: Object.fromEntries(Object.keys(bins).map((b) => [b, lut])) };
}

async function setup(t: { after(fn: () => Promise<void>): void }, resolver: RouteResolver = lww, engine = new FakeEngine({ regionId: 2, nowMs: () => NOW_MS })) {
  const transports: MemReceive[] = [];
  const receiver = new Receiver({
    regionId: 2,
    engine,
    logger,
    nowMs: () => NOW_MS,
    options: { maxClockOffsetMs: 1000, retryBackoffMinMs: 1, retryBackoffMaxMs: 2 },
    transportFor: () => {
      const tr = new MemReceive();
      transports.push(tr);
      return tr;
    },
  });
  t.after(() => receiver.stop());
  await receiver.setRoutes([{ name: 'tv', namespace: 'test', topic: 'xdr.t.v.test', source: 'tokyo', resolver }]);
  return { engine, receiver, tr: transports[0]!, transports };
}

test('applies newer versions, drops older and duplicate ones, resolves every offset', async (t) => {
  const { engine, receiver, tr } = await setup(t);
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('a', NOW_MS - 5, 1)), encodeRecord(version('a', NOW_MS - 5, 1)), encodeRecord(version('a', NOW_MS - 9, 1)), encodeRecord(version('b', NOW_MS - 1, 1))]);
  const s = receiver.stats()[0]!;
  assert.equal(s.applied, 2);
  assert.equal(s.rejected_identical, 1);
  assert.equal(s.rejected_older, 1);
  assert.equal(s.lag.count, 2);
  assert.equal(s.lag.max_ms, 5);
  assert.equal(s.offset_lag, 3);
  assert.deepEqual(tr.resolved, ['0', '1', '2', '3']);
  assert.deepEqual(engine.dump('test').map((v) => v.key).sort(), ['a', 'b']);
});

test('poison, far-future and wrong-namespace messages are dead-lettered with the reason; the next message applies', async (t) => {
  const { engine, receiver, tr } = await setup(t);
  const wrongNs = { ...version('w', NOW_MS, 1), ns: 'other' };
  await tr.deliver('xdr.t.v.test', [Buffer.from('not msgpack at all'), null, encodeRecord(version('future', NOW_MS + 5000, 1)), encodeRecord(wrongNs), encodeRecord(version('ok', NOW_MS, 1))]);
  assert.equal(tr.letters.length, 4);
  assert.match(tr.letters[0]!.reason, /^RECV_ERR_UNDECODABLE: WIRE_ERR_/);
  assert.match(tr.letters[1]!.reason, /^RECV_ERR_UNDECODABLE: /);
  assert.match(tr.letters[2]!.reason, /^RECV_ERR_CLOCK_OFFSET: .*5000 ms in the future/);
  assert.match(tr.letters[3]!.reason, /^RECV_ERR_WRONG_NAMESPACE: /);
  assert.equal(tr.letters[0]!.topic, 'xdr.t.v.test.dlq');
  assert.equal(tr.letters[0]!.sourceOffset, '0');
  assert.equal(receiver.stats()[0]!.dead_lettered, 4);
  assert.deepEqual(engine.dump('test').map((v) => v.key), ['ok']);
  assert.equal(tr.resolved.length, 5);
});

test('a dead-letter topic that refuses is retried before the offset moves', async (t) => {
  const { receiver, tr } = await setup(t);
  tr.dlqDown = 2;
  await tr.deliver('xdr.t.v.test', [Buffer.from([0xc1])]);
  assert.equal(tr.letters.length, 1);
  assert.equal(receiver.stats()[0]!.retries, 2);
  assert.equal(receiver.stats()[0]!.dead_lettered, 1);
});

test('retriable apply failures are retried (offset resolved once); non-retriable engine refusals are dead-lettered', async (t) => {
  const engine = new FakeEngine({ regionId: 2, nowMs: () => NOW_MS });
  const { receiver, tr } = await setup(t, lww, engine);
  const real = engine.applyVersion.bind(engine);
  let failures = 2;
  engine.applyVersion = async (v) => {
    if (v.key === 'big') throw Object.assign(new Error('too big'), { code: 'ENGINE_ERR_RECORD_TOO_BIG', retriable: false });
    if (failures-- > 0) throw Object.assign(new Error('stop writes'), { code: 'ENGINE_ERR_STOP_WRITES', retriable: true });
    return real(v);
  };
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('x', NOW_MS, 1)), encodeRecord(version('big', NOW_MS, 1))]);
  const s = receiver.stats()[0]!;
  assert.equal(s.retries, 2);
  assert.equal(s.applied, 1);
  assert.equal(s.dead_lettered, 1);
  assert.match(tr.letters[0]!.reason, /^RECV_ERR_APPLY_REJECTED: .*ENGINE_ERR_RECORD_TOO_BIG/);
  assert.deepEqual(tr.resolved, ['0', '1']);
});

test('reading the local version decides from retriable too: retried while it may clear, dead-lettered when the engine refuses for good', async (t) => {
  const engine = new FakeEngine({ regionId: 2, nowMs: () => NOW_MS });
  const { receiver, tr } = await setup(t, lww, engine);
  const real = engine.readVersion.bind(engine);
  let failures = 3;
  engine.readVersion = async (ns, digest) => {
    if (Buffer.from(digest).equals(Buffer.from(fakeDigest('s', 'corrupt')))) throw new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', 'index entry checksum mismatch (test)');
    if (failures-- > 0) throw new EngineError('ENGINE_ERR_IO', 'EIO (test)');
    return real(ns, digest);
  };
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('x', NOW_MS, 1)), encodeRecord(version('corrupt', NOW_MS, 1)), encodeRecord(version('y', NOW_MS, 1))]);
  const s = receiver.stats()[0]!;
  assert.equal(s.retries, 3);
  assert.equal(s.applied, 2);
  assert.equal(s.dead_lettered, 1);
  assert.equal(tr.letters.length, 1);
  assert.match(tr.letters[0]!.reason, /^RECV_ERR_APPLY_REJECTED: the engine refused applying the version: ENGINE_ERR_CORRUPTED_STORAGE/);
  assert.deepEqual(tr.resolved, ['0', '1', '2']);
});

test('merge decisions store the merged version; resolver errors keep local and are counted', async (t) => {
  const merging: RouteResolver = {
    name: 'bin-lww',
    resolve(local, incoming) {
      if (incoming.key === 'boom') throw new Error('custom resolver bug');
      return { action: 'merge', reason: 'merged', version: { ...incoming, bins: { ...(local?.bins ?? {}), ...incoming.bins } } };
    },
  };
  const { engine, receiver, tr } = await setup(t, merging);
  await engine.applyVersion(version('m', NOW_MS - 10, 2, { local: 1 }));
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('m', NOW_MS, 1, { remote: 2 })), encodeRecord(version('boom', NOW_MS, 1))]);
  const s = receiver.stats()[0]!;
  assert.equal(s.merged, 1);
  assert.equal(s.resolver_errors, 1);
  assert.equal(s.resolver, 'bin-lww');
  assert.deepEqual(engine.dump('test').find((v) => v.key === 'm')!.bins, { local: 1, remote: 2 });
  assert.equal(engine.dump('test').some((v) => v.key === 'boom'), false);
});

test('heartbeats update the source backlog and last-seen age', async (t) => {
  const { receiver, tr } = await setup(t);
  assert.equal(receiver.stats()[0]!.last_seen_age_ms, -1);
  assert.equal(receiver.stats()[0]!.clock_offset_ms, undefined, 'no clock offset before a heartbeat');
  await tr.deliver('xdr.t.v.test', [encodeHeartbeat({ route: 'tv', region: 1, hlc: (NOW_MS + 1500) * 1024, backlog: 42 })]);
  const s = receiver.stats()[0]!;
  assert.equal(s.heartbeats, 1);
  assert.equal(s.source_backlog, 42);
  assert.equal(s.last_seen_age_ms, 0);
  assert.equal(s.clock_offset_ms, 1500, "the source's clock runs 1.5 s ahead of this one");
});

test('setRoutes restarts only the consumer whose topics changed', async (t) => {
  const { receiver, transports } = await setup(t);
  await receiver.setRoutes([
    { name: 'tv', namespace: 'test', topic: 'xdr.t.v.test', source: 'tokyo', resolver: lww },
    { name: 'pv', namespace: 'test', topic: 'xdr.p.v.test', source: 'paris', resolver: lww },
  ]);
  assert.equal(transports.length, 2);
  assert.equal(transports[0]!.stops, 0);
  await receiver.setRoutes([{ name: 'pv', namespace: 'test', topic: 'xdr.p.v.test', source: 'paris', resolver: lww }]);
  assert.equal(transports[0]!.stops, 1);
  assert.equal(transports[1]!.stops, 0);
  assert.deepEqual(receiver.stats().map((s) => s.route), ['pv']);
});

test('the newest applying error is kept with its most specific code; the last apply time and the consumer status are reported', async (t) => {
  const engine = new FakeEngine({ regionId: 2, nowMs: () => NOW_MS });
  const { receiver, tr } = await setup(t, lww, engine);
  let s = receiver.stats()[0]!;
  assert.equal(s.last_error, null);
  assert.equal(s.last_applied_age_ms, -1);
  assert.equal(s.consumer, null, 'a transport that cannot tell reports no consumer status');

  const real = engine.applyVersion.bind(engine);
  let failures = 1;
  engine.applyVersion = async (v) => {
    if (failures-- > 0) throw Object.assign(new Error('device d of namespace test has no free write block'), { code: 'ENGINE_ERR_STOP_WRITES', retriable: true });
    return real(v);
  };
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('x', NOW_MS, 1))]);
  s = receiver.stats()[0]!;
  assert.equal(s.last_error?.code, 'ENGINE_ERR_STOP_WRITES', 'an engine refusal shows under the engine code');
  assert.match(s.last_error!.message, /^RECV_ERR_APPLY_FAILED: .*no free write block.*retried/);
  assert.equal(s.last_error!.at_ms, NOW_MS);
  assert.equal(s.last_applied_age_ms, 0);

  await tr.deliver('xdr.t.v.test', [encodeRecord(version('future', NOW_MS + 5000, 1))]);
  assert.equal(receiver.stats()[0]!.last_error?.code, 'RECV_ERR_CLOCK_OFFSET');

  // The consumer's status comes from the transport of the route's source.
  (tr as MemReceive & { status(): unknown }).status = () => ({ state: 'failing', last_error: { code: 'RECV_ERR_CONSUMER_FAILED', message: 'KafkaJSConnectionError: connect ECONNREFUSED', at_ms: NOW_MS } });
  s = receiver.stats()[0]!;
  assert.equal(s.consumer?.state, 'failing');
  assert.equal(s.consumer?.last_error?.code, 'RECV_ERR_CONSUMER_FAILED');
});

test('a custom resolver that throws leaves its code as the last error', async (t) => {
  const thrower: RouteResolver = {
    name: 'custom:thrower.mjs',
    resolve() {
      return { action: 'keep-local', reason: 'error', error: Object.assign(new Error('custom resolver thrower.mjs threw: boom; the local record was kept'), { code: 'CONFLICT_ERR_CUSTOM_THREW' }) };
    },
  };
  const { receiver, tr } = await setup(t, thrower);
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('a', NOW_MS, 1))]);
  const s = receiver.stats()[0]!;
  assert.equal(s.resolver_errors, 1);
  assert.equal(s.last_error?.code, 'CONFLICT_ERR_CUSTOM_THREW');
  assert.match(s.last_error!.message, /boom/);
});

test('conflicts are kept newest first in a bounded ring: both versions, the winner and why; same-region updates are not conflicts', async (t) => {
  const engine = new FakeEngine({ regionId: 2, nowMs: () => NOW_MS });
  const receiver = new Receiver({ regionId: 2, engine, logger, nowMs: () => NOW_MS, options: { conflictsMax: 2 }, transportFor: () => tr });
  const tr = new MemReceive();
  t.after(() => receiver.stop());
  await receiver.setRoutes([{ name: 'tv', namespace: 'test', topic: 'xdr.t.v.test', source: 'tokyo', resolver: lww }]);
  await engine.applyVersion(version('won', NOW_MS - 30, 2));
  await engine.applyVersion(version('lost', NOW_MS - 5, 2));
  await engine.applyVersion(version('same', NOW_MS - 40, 1));
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('won', NOW_MS - 20, 1)), encodeRecord(version('same', NOW_MS - 10, 1)), encodeRecord(version('lost', NOW_MS - 50, 1))]);
  const snap = receiver.conflicts(10);
  assert.equal(snap.total, 2);
  assert.deepEqual(snap.recent.map((c) => [c.key, c.winner, c.reason]), [['lost', 'local', 'older'], ['won', 'incoming', 'applied']]);
  const won = snap.recent[1]!;
  assert.deepEqual([won.local.region, won.local.lut_ms, won.incoming.region, won.incoming.lut_ms], [2, NOW_MS - 30, 1, NOW_MS - 20]);
  assert.equal(won.route, 'tv');
  assert.match(won.digest, /^[0-9a-f]{40}$/);
  // The ring keeps the newest two; the total counts every conflict.
  await engine.applyVersion(version('third', NOW_MS - 30, 2));
  await tr.deliver('xdr.t.v.test', [encodeRecord(version('third', NOW_MS - 1, 1))]);
  const after = receiver.conflicts(10);
  assert.equal(after.total, 3);
  assert.deepEqual(after.recent.map((c) => c.key), ['third', 'lost']);
  assert.deepEqual(receiver.conflicts(10, 'other').recent, []);
  assert.equal(receiver.conflicts(1).recent.length, 1);
});

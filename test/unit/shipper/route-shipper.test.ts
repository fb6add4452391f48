// The route shipper against the in-memory fake engine and transport: what it
// ships, when it commits, and how it survives failures, overflow and restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { RouteShipper, type OutboundMessage, type ShipperOptions } from '../../../shipper/index.js';
import { decodeMessage, type RouteSpec } from '../../../replication-protocol/index.js';
import { partitionId } from '../../../engine/index.js';
import { physicalMs } from '../../../record/index.js';
import { FakeEngine, fakeDigest } from '../../helpers/fake-engine.js';
import { waitFor } from '../../helpers/wait.js';
import { MemTransport } from './mem-transport.js';

const logger = pino({ level: 'silent' });
const regions = { sourceId: 1, destinationId: 2 };

function route(extra: Partial<RouteSpec> = {}): RouteSpec {
  return { name: 'tokyo-virginia', source: 'tokyo', destination: 'virginia', namespace: 'test', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, ...extra };
}

function setup(t: { after(fn: () => Promise<void> | void): void }, r: Partial<RouteSpec> = {}, options: ShipperOptions = {}, engine = new FakeEngine({ regionId: 1 })) {
  const transport = new MemTransport(8);
  const shipper = new RouteShipper({ route: route(r), regions, engine, transport, logger, options: { retryBackoffMinMs: 1, retryBackoffMaxMs: 5, heartbeatIntervalMs: 10_000, ...options } });
  t.after(() => shipper.stop());
  return { engine, transport, shipper };
}

function records(transport: MemTransport) {
  return transport.sent.map((s) => decodeMessage(s.message.value)).filter((m) => m.kind === 'record').map((m) => (m.kind === 'record' ? m.version : null)!);
}

test('ships local writes with digest key, record partition and lut timestamp, then commits', async (t) => {
  const { engine, transport, shipper } = setup(t);
  for (let i = 0; i < 20; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  await shipper.start();
  await waitFor(() => shipper.stats().success === 20 && shipper.stats().in_queue === 0, { what: '20 records shipped and committed' });
  const sent = transport.sent;
  assert.equal(sent[0]!.topic, 'xdr.tokyo.virginia.test');
  for (const { message } of sent) {
    const m = decodeMessage(message.value);
    assert.ok(m.kind === 'record');
    assert.ok(message.key.equals(Buffer.from(m.version.digest)));
    assert.equal(message.partition, partitionId(m.version.digest) % 8);
    assert.equal(message.timestampMs, physicalMs(m.version.lut));
  }
  assert.deepEqual(records(transport).map((v) => v.bins.n).sort((a, b) => Number(a) - Number(b)), [...Array(20).keys()]);
  assert.equal(engine.logOf('test').cursor('route:tokyo-virginia')!.committed, 20);
});

test('never ships back to the origin; ships third-region versions only when forwarding', async (t) => {
  const { engine, transport, shipper } = setup(t);
  const v = (key: string, region: number) => ({ ns: 'test', set: 's', digest: fakeDigest('s', key), generation: 1, voidTime: 0, lut: engine.now(), region, deleted: false, bins: { x: 1 }, binLuts: { x: 1 } });
  await engine.applyVersion(v('from-virginia', 2));
  await engine.applyVersion(v('from-paris', 3));
  await engine.put({ ns: 'test', set: 's', key: 'local' }, { x: 1 });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'batch committed' });
  assert.deepEqual(records(transport).map((r) => r.key), ['local']);
  assert.equal(shipper.stats().filtered_out, 2);

  const fwd = setup(t, { name: 'fwd', forward: true }, {}, engine);
  await fwd.shipper.start();
  await waitFor(() => fwd.shipper.stats().in_queue === 0, { what: 'forwarding batch committed' });
  assert.deepEqual(records(fwd.transport).map((r) => r.region).sort(), [1, 3]);
});

test('set and bin filters', async (t) => {
  const { engine, transport, shipper } = setup(t, { sets: { ignore: ['private'] }, bins: { ignore: ['secret'] } });
  await engine.put({ ns: 'test', set: 'private', key: 'a' }, { x: 1 });
  await engine.put({ ns: 'test', set: 'public', key: 'b' }, { x: 1, secret: 's' });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'batch committed' });
  const out = records(transport);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]!.bins, { x: 1 });
  assert.equal(out[0]!.binLuts.secret, undefined);
});

test('Kafka failures: retried with backoff, nothing lost, cursor not committed until acked', async (t) => {
  const { engine, transport, shipper } = setup(t, {}, { batchRecordsMax: 5 });
  transport.down = true;
  for (let i = 0; i < 12; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  await shipper.start();
  await waitFor(() => shipper.stats().retries >= 5, { what: 'several failed attempts' });
  assert.equal(engine.logOf('test').cursor('route:tokyo-virginia')!.committed, 0);
  assert.equal(shipper.stats().state, 'retrying');
  assert.ok(shipper.stats().lag_ms >= 0 && shipper.stats().in_queue === 12);
  transport.down = false;
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'shipping resumed by itself' });
  assert.equal(new Set(records(transport).map((r) => r.key)).size, 12);
  assert.equal(shipper.stats().success, 12);
});

test('a send Kafka refuses (not retriable) stops the route in state failed instead of retrying; resume ships everything once fixed', async (t) => {
  const { engine, transport, shipper } = setup(t, {}, { batchRecordsMax: 5 });
  transport.refusing = true;
  for (let i = 0; i < 12; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  await shipper.start();
  await waitFor(() => shipper.stats().state === 'failed', { what: 'the route failed' });
  const failed = shipper.stats();
  assert.equal(failed.last_error?.code, 'SHIP_ERR_SEND_REJECTED');
  assert.match(failed.last_error?.message ?? '', /MESSAGE_TOO_LARGE/);
  // One attempt, no retry: the same batch would be refused again.
  assert.equal(transport.sends, 1);
  assert.equal(failed.retries, 0);
  assert.equal(engine.logOf('test').cursor('route:tokyo-virginia')!.committed, 0);
  assert.equal(shipper.shipping(), false);
  await assert.rejects(shipper.reship([fakeDigest('s', 'k0')]), (err: unknown) => (err as { code?: string }).code === 'SHIP_ERR_PAUSED' && /SHIP_ERR_SEND_REJECTED/.test((err as Error).message));
  assert.equal(transport.sends, 1);
  transport.refusing = false;
  shipper.resume();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'shipping after resume' });
  assert.equal(new Set(records(transport).map((r) => r.key)).size, 12);
  assert.equal(shipper.stats().state, 'running');
});

/** A transport whose sends wait at a gate while `held` is set: a batch "on the wire". */
class HeldTransport extends MemTransport {
  started = 0;
  held: Promise<void> | null = null;
  override async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    this.started++;
    if (this.held !== null) await this.held;
    return super.send(topic, messages);
  }
}

test('changes written while a batch is on the wire go out right after its ack, without waiting for the cursor commit', async (t) => {
  const engine = new FakeEngine({ regionId: 1 });
  const transport = new HeldTransport(8);
  const shipper = new RouteShipper({ route: route(), regions, engine, transport, logger, options: { retryBackoffMinMs: 1, retryBackoffMaxMs: 5, heartbeatIntervalMs: 10_000 } });
  // The cursor commit (an fsync in the real change log) is held until the end.
  const cursor = await engine.changeLog('test').cursor('route:tokyo-virginia');
  let releaseCommit = (): void => undefined;
  const commitHeld = new Promise<void>((resolve) => {
    releaseCommit = resolve;
  });
  const commit = cursor.commit.bind(cursor);
  cursor.commit = async (seq, lut) => {
    await commitHeld;
    return commit(seq, lut);
  };
  let releaseSend = (): void => undefined;
  transport.held = new Promise<void>((resolve) => {
    releaseSend = resolve;
  });
  t.after(async () => {
    releaseSend();
    releaseCommit();
    await shipper.stop();
  });

  await engine.put({ ns: 'test', set: 's', key: 'k0' }, { n: 0 });
  await shipper.start();
  await waitFor(() => transport.started === 1, { what: 'the first batch on the wire' });
  await engine.put({ ns: 'test', set: 's', key: 'k1' }, { n: 1 });
  await engine.put({ ns: 'test', set: 's', key: 'k2' }, { n: 2 });
  transport.held = null;
  releaseSend();
  await waitFor(() => records(transport).length === 3, { what: 'the second batch sent while the first commit is still held' });
  assert.deepEqual(records(transport).map((r) => r.key), ['k0', 'k1', 'k2']);
  assert.equal(engine.logOf('test').cursor('route:tokyo-virginia')!.committed, 0);
  releaseCommit();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'both batches committed' });
  assert.equal(engine.logOf('test').cursor('route:tokyo-virginia')!.committed, 3);
});

test('a stop mid-outage and a new shipper on the same cursor ship everything', async (t) => {
  const engine = new FakeEngine({ regionId: 1 });
  const first = setup(t, {}, {}, engine);
  first.transport.down = true;
  for (let i = 0; i < 7; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  await first.shipper.start();
  await waitFor(() => first.shipper.stats().retries >= 2, { what: 'failing sends' });
  await first.shipper.stop();
  const second = setup(t, {}, {}, engine);
  await second.shipper.start();
  await waitFor(() => second.shipper.stats().in_queue === 0, { what: 'second shipper caught up' });
  assert.equal(new Set(records(second.transport).map((r) => r.key)).size, 7);
});

test('change-log overflow: recovers by a scan since the committed lut, then continues', async (t) => {
  const engine = new FakeEngine({ regionId: 1, retainEventsMax: 10 });
  const { transport, shipper } = setup(t, { enabled: false }, {}, engine);
  await shipper.start();
  for (let i = 0; i < 50; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  shipper.resume();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'recovered and caught up' });
  assert.equal(shipper.stats().recoveries, 1);
  assert.equal(new Set(records(transport).map((r) => r.key)).size, 50);
  await engine.put({ ns: 'test', set: 's', key: 'after' }, { n: 1 });
  await waitFor(() => records(transport).some((r) => r.key === 'after'), { what: 'a write after recovery' });
});

test('rewind re-ships everything newer than T; tombstones included', async (t) => {
  const { engine, transport, shipper } = setup(t);
  await engine.put({ ns: 'test', set: 's', key: 'old' }, { n: 1 });
  const t0 = engine.now();
  await engine.put({ ns: 'test', set: 's', key: 'new' }, { n: 2 });
  await engine.remove({ ns: 'test', set: 's', key: 'old' });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'first pass' });
  const before = transport.sent.length;
  shipper.rewind(t0);
  await waitFor(() => shipper.stats().recoveries === 1 && transport.sent.length === before + 2, { what: 'rewind shipped' });
  const again = records(transport).slice(-2);
  assert.deepEqual(again.map((r) => [r.key, r.deleted]).sort(), [['new', false], ['old', true]]);
});

test('rewind with includeOrigin re-ships the records that came from the destination too; a plain rewind does not', async (t) => {
  const { engine, transport, shipper } = setup(t);
  const fromVirginia = { ns: 'test', set: 's', digest: fakeDigest('s', 'from-virginia'), generation: 1, voidTime: 0, lut: engine.now(), region: 2, deleted: false, bins: { x: 1 }, binLuts: { x: 1 } };
  await engine.applyVersion(fromVirginia);
  await engine.applyVersion({ ...fromVirginia, digest: fakeDigest('s', 'from-paris'), region: 3 });
  await engine.put({ ns: 'test', set: 's', key: 'local' }, { x: 1 });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'first pass' });
  assert.deepEqual(records(transport).map((r) => r.key), ['local']);

  shipper.rewind(0);
  await waitFor(() => shipper.stats().recoveries === 1 && shipper.stats().state === 'running' && transport.sent.length === 2, { what: 'plain rewind' });
  shipper.rewind(0, { includeOrigin: true });
  await waitFor(() => shipper.stats().recoveries === 2 && transport.sent.length === 4, { what: 'rewind with includeOrigin' });
  const again = records(transport).slice(2);
  assert.deepEqual(again.map((r) => r.region).sort(), [1, 2], 'the local record and the one from virginia (region 2), not the one from paris');
  assert.deepEqual([...again.find((r) => r.region === 2)!.digest], [...fromVirginia.digest]);
});

test('hot keys: repeated changes of one record inside hot-key-ms ship once', async (t) => {
  const { engine, transport, shipper } = setup(t, { hotKeyMs: 200 });
  await shipper.start();
  for (let i = 0; i < 10; i++) await engine.put({ ns: 'test', set: 's', key: 'hot' }, { n: i });
  await waitFor(() => shipper.stats().in_queue === 0 && shipper.stats().success > 0, { what: 'coalesced batch' });
  const out = records(transport);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.bins.n, 9);
  assert.equal(shipper.stats().hot_keys, 9);
});

test('heartbeats on an idle route carry the source HLC and backlog', async (t) => {
  const { transport, shipper } = setup(t, {}, { heartbeatIntervalMs: 20 });
  await shipper.start();
  await waitFor(() => shipper.stats().heartbeats >= 2, { what: 'two heartbeats' });
  const hb = decodeMessage(transport.sent[0]!.message.value);
  assert.ok(hb.kind === 'heartbeat');
  assert.equal(hb.heartbeat.route, 'tokyo-virginia');
  assert.equal(hb.heartbeat.region, 1);
  assert.equal(hb.heartbeat.backlog, 0);
});

test('heartbeats Kafka refuses at start (leader or coordinator still loading) count no retry and no error; they go out once it accepts', async (t) => {
  const { transport, shipper } = setup(t, {}, { heartbeatIntervalMs: 10 });
  transport.down = true;
  await shipper.start();
  await waitFor(() => transport.sends >= 3, { what: 'three refused heartbeats' });
  const refused = shipper.stats();
  assert.equal(refused.retries, 0);
  assert.equal(refused.last_error, null);
  assert.equal(refused.heartbeats, 0);
  assert.notEqual(refused.state, 'retrying');
  transport.down = false;
  await waitFor(() => shipper.stats().heartbeats >= 1, { what: 'a heartbeat once Kafka accepts' });
  assert.equal(shipper.stats().retries, 0);
});

test('pause holds changes back and shows growing backlog; resume ships them', async (t) => {
  const { engine, transport, shipper } = setup(t);
  await shipper.start();
  shipper.pause();
  await waitFor(() => shipper.stats().state === 'paused', { what: 'paused' });
  await engine.put({ ns: 'test', set: 's', key: 'p' }, { n: 1 });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(records(transport).length, 0);
  assert.equal(shipper.stats().in_queue, 1);
  shipper.resume();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'resumed' });
  assert.equal(records(transport).length, 1);
});

test('update() changes filters live and refuses a new namespace', async (t) => {
  const { engine, transport, shipper } = setup(t);
  await shipper.start();
  shipper.update(route({ sets: { ship: ['only'] } }));
  await engine.put({ ns: 'test', set: 'other', key: 'a' }, { n: 1 });
  await engine.put({ ns: 'test', set: 'only', key: 'b' }, { n: 1 });
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'committed' });
  assert.deepEqual(records(transport).map((r) => r.key), ['b']);
  assert.throws(() => shipper.update(route({ namespace: 'other' })), /namespace cannot change/);
});

test('maxRecordsPerSec bounds every send to one second of records', async (t) => {
  const { engine, transport, shipper } = setup(t, { maxRecordsPerSec: 20 });
  const sizes: number[] = [];
  const send = transport.send.bind(transport);
  transport.send = async (topic, messages) => {
    sizes.push(messages.length);
    return send(topic, messages);
  };
  for (let i = 0; i < 30; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { n: i });
  await shipper.start();
  await waitFor(() => shipper.stats().success === 30, { what: '30 records shipped under the rate limit' });
  assert.ok(sizes.every((n) => n <= 20), `send sizes ${sizes.join(',')}`);
});

test('delayMs holds a change back until it is that old', async (t) => {
  const { engine, transport, shipper } = setup(t, { delayMs: 300 });
  await shipper.start();
  await engine.put({ ns: 'test', set: 's', key: 'late' }, { n: 1 });
  const putAtMs = Date.now();
  await waitFor(() => records(transport).length === 1, { what: 'the delayed record' });
  assert.ok(Date.now() - putAtMs >= 250, 'shipped before delay-ms passed');
});

test('a version from a fast clock ships with its Kafka timestamp clamped to now (Kafka refuses far-future timestamps)', async (t) => {
  const aheadMs = 2 * 3600_000;
  const { engine, transport, shipper } = setup(t, {}, {}, new FakeEngine({ regionId: 1, nowMs: () => Date.now() + aheadMs }));
  await engine.put({ ns: 'test', set: 's', key: 'future' }, { n: 1 });
  await shipper.start();
  await waitFor(() => records(transport).length === 1, { what: 'the future-stamped record' });
  const { message } = transport.sent.find((s) => decodeMessage(s.message.value).kind === 'record')!;
  assert.ok(message.timestampMs <= Date.now());
  assert.ok(physicalMs(records(transport)[0]!.lut) > Date.now() + aheadMs / 2, 'the lut itself is untouched');
});

test('whenShipped resolves only after Kafka acknowledged the change, and waits through an outage', async (t) => {
  const { engine, transport, shipper } = setup(t);
  await shipper.start();
  transport.down = true;
  await engine.put({ ns: 'test', set: 's', key: 'a' }, { x: 1 });
  const seq = engine.changeLog('test').headSeq();
  let shipped = false;
  const waiting = shipper.whenShipped(seq).then(() => (shipped = true));
  await waitFor(() => shipper.stats().retries > 0, { what: 'a failed send' });
  assert.equal(shipped, false, 'acknowledged as shipped while Kafka was down');
  transport.down = false;
  await waiting;
  assert.deepEqual(records(transport).map((r) => r.key), ['a']);
  // An earlier seq is already shipped.
  await shipper.whenShipped(seq - 1);
});

test('reship sends the current version of the given digests (tombstones and destination-origin versions too) and counts them; refused when paused, too many, or the queue is full', async (t) => {
  const { engine, transport, shipper } = setup(t, {}, { reshipDigestsMax: 3, reshipQueueMax: 1 });
  const fromVirginia = { ns: 'test', set: 's', digest: fakeDigest('s', 'from-virginia'), generation: 1, voidTime: 0, lut: engine.now(), region: 2, deleted: false, bins: { x: 1 }, binLuts: { x: 1 } };
  await engine.applyVersion(fromVirginia);
  await engine.put({ ns: 'test', set: 's', key: 'live' }, { n: 1 });
  await engine.put({ ns: 'test', set: 's', key: 'gone' }, { n: 1 });
  await engine.remove({ ns: 'test', set: 's', key: 'gone' });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0, { what: 'first pass' });
  const before = transport.sent.length;
  const result = await shipper.reship([fakeDigest('s', 'live'), fakeDigest('s', 'gone'), fromVirginia.digest]);
  assert.deepEqual(result, { requested: 3, shipped: 3, notFound: 0, filteredOut: 0, abandoned: 0 });
  const again = records(transport).slice(before);
  assert.deepEqual(again.map((r) => [r.region, r.deleted]).sort(), [[1, false], [1, true], [2, false]]);
  assert.equal(shipper.stats().reshipped, 3);
  assert.deepEqual(await shipper.reship([fakeDigest('s', 'never-written')]), { requested: 1, shipped: 0, notFound: 1, filteredOut: 0, abandoned: 0 });

  await assert.rejects(shipper.reship([fakeDigest('s', 'a'), fakeDigest('s', 'b'), fakeDigest('s', 'c'), fakeDigest('s', 'd')]), { code: 'SHIP_ERR_INVALID_OPTIONS' });
  // One request waits (queue of 1): the second is refused at once, not queued without bound.
  const first = shipper.reship([fakeDigest('s', 'live')]);
  const second = shipper.reship([fakeDigest('s', 'live')]);
  await assert.rejects(second, { code: 'SHIP_ERR_BUSY' });
  await first;
  shipper.pause();
  await assert.rejects(shipper.reship([fakeDigest('s', 'live')]), { code: 'SHIP_ERR_PAUSED' });
});

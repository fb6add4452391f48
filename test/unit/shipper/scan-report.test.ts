// Rewinds and overflow recoveries over the fake engine: a record that fails its
// checks is skipped and reported, the rest ships; a scan that stops is reported
// with how far it got and is not silently dropped; the operator's resume
// acknowledges the outcome; Kafka retries during a scan leave it `recovering`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { RouteShipper } from '../../../shipper/index.js';
import { decodeMessage, type RouteSpec } from '../../../replication-protocol/index.js';
import { EngineError } from '../../../engine/index.js';
import { FakeEngine, fakeDigest } from '../../helpers/fake-engine.js';
import { waitFor } from '../../helpers/wait.js';
import { MemTransport } from './mem-transport.js';

const logger = pino({ level: 'silent' });

function route(extra: Partial<RouteSpec> = {}): RouteSpec {
  return { name: 'tokyo-virginia', source: 'tokyo', destination: 'virginia', namespace: 'test', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, ...extra };
}

async function setup(t: { after(fn: () => Promise<void> | void): void }, n: number, options = {}) {
  const engine = new FakeEngine({ regionId: 1 });
  const transport = new MemTransport(4);
  const shipper = new RouteShipper({ route: route(), regions: { sourceId: 1, destinationId: 2 }, engine, transport, logger, options: { retryBackoffMinMs: 1, retryBackoffMaxMs: 5, heartbeatIntervalMs: 10_000, batchRecordsMax: 10, ...options } });
  t.after(() => shipper.stop());
  for (let i = 0; i < n; i++) await engine.put({ ns: 'test', set: 's', key: `k${i}` }, { i });
  await shipper.start();
  await waitFor(() => shipper.stats().in_queue === 0 && shipper.stats().success === n, { what: 'first pass shipped' });
  return { engine, transport, shipper };
}

function keysShipped(transport: MemTransport): string[] {
  return transport.sent.map((s) => decodeMessage(s.message.value)).flatMap((m) => (m.kind === 'record' ? [String(m.version.key)] : []));
}

test('a rewind skips unreadable records, ships every other one, and reports them by digest', async (t) => {
  const { engine, transport, shipper } = await setup(t, 40);
  const bad = ['k3', 'k17', 'k30'].map((k) => Buffer.from(fakeDigest('s', k)).toString('hex'));
  for (const d of bad) engine.unreadable.add(d);
  const before = transport.sent.length;
  shipper.rewind(0, { includeOrigin: true });
  await waitFor(() => shipper.stats().scan?.status === 'completed', { what: 'the rewind to end' });
  const scan = shipper.stats().scan!;
  assert.equal(scan.why, 'rewind');
  assert.equal(scan.include_origin, true);
  assert.equal(scan.total, 40);
  assert.equal(scan.scanned, 37);
  assert.equal(scan.shipped, 37);
  assert.equal(scan.unreadable, 3);
  assert.deepEqual([...scan.unreadable_digests].sort(), [...bad].sort());
  assert.equal(scan.error, null);
  assert.equal(scan.acknowledged_at_ms, null);
  assert.ok(scan.ended_at_ms !== null && scan.ended_at_ms >= scan.started_at_ms);
  const again = keysShipped(transport).slice(before);
  assert.equal(again.length, 37);
  assert.ok(!again.includes('k3') && !again.includes('k17') && !again.includes('k30'));
  assert.equal(shipper.stats().state, 'running');

  // The operator acknowledges by resuming: the report stays, marked acknowledged.
  shipper.resume();
  assert.ok(shipper.stats().scan!.acknowledged_at_ms !== null);
});

test('a rewind that stops is reported with how far it got; shipping goes on and the rewind is not retried on its own', async (t) => {
  const { engine, transport, shipper } = await setup(t, 30);
  engine.scanFailure = { after: 12, error: new EngineError('ENGINE_ERR_IO', 'EIO reading device data-0.dat (test)') };
  const recoveries = shipper.stats().recoveries;
  shipper.rewind(0);
  await waitFor(() => shipper.stats().scan?.status === 'failed', { what: 'the rewind to fail' });
  const scan = shipper.stats().scan!;
  assert.equal(scan.total, 30);
  assert.equal(scan.scanned, 12);
  assert.equal(scan.shipped, 10, 'one full batch of 10 acknowledged before the failure');
  assert.equal(scan.error?.code, 'ENGINE_ERR_IO');
  assert.match(scan.error!.message, /EIO reading device/);
  assert.deepEqual(shipper.stats().last_error, scan.error);
  engine.scanFailure = null;
  // Changes still ship after the failed rewind.
  await engine.put({ ns: 'test', set: 's', key: 'after' }, { i: 1 });
  await waitFor(() => keysShipped(transport).includes('after'), { what: 'a write after the failed rewind' });
  assert.equal(shipper.stats().recoveries, recoveries + 1, 'the failed rewind is not retried by itself');
  assert.equal(shipper.stats().state, 'running');

  // A new rewind replaces the report.
  shipper.rewind(0);
  await waitFor(() => shipper.stats().scan?.status === 'completed', { what: 'the second rewind' });
  assert.equal(shipper.stats().scan!.shipped, 31);
});

test('Kafka failing during a scan: state retrying, then recovering again, never running mid-scan', async (t) => {
  const { transport, shipper } = await setup(t, 30, { batchRecordsMax: 5 });
  transport.failures = 3;
  const states = new Set<string>();
  shipper.rewind(0);
  await waitFor(() => {
    const s = shipper.stats();
    if (s.scan?.status === 'running') states.add(s.state);
    return s.scan?.status === 'completed';
  }, { intervalMs: 0, what: 'the rewind despite failed sends' });
  assert.ok(!states.has('running'), `states seen during the scan: ${[...states].join(', ')}`);
  assert.ok(states.has('retrying'), `states seen during the scan: ${[...states].join(', ')}`);
  assert.equal(shipper.stats().scan!.shipped, 30);
  assert.equal(shipper.stats().last_error?.code, 'SHIP_ERR_SEND_FAILED');
  assert.match(shipper.stats().last_error!.message, /broker unavailable/);
});

// Pure parts of the shipper: routing rules, bin projection, coalescing, chunking, backoff, rate limiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce, projectBins, shipVerdict } from '../../../shipper/index.js';
import { chunks } from '../../../shipper/prepare.js';
import { backoffMs } from '../../../shipper/backoff.js';
import { RateLimiter } from '../../../shipper/rate-limiter.js';
import type { ChangeEvent } from '../../../engine/types.js';
import type { RecordVersion } from '../../../record/index.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';

const base: RouteSpec = { name: 'r', source: 'tokyo', destination: 'virginia', namespace: 'test', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true };
const regions = { sourceId: 1, destinationId: 2 };
function version(region: number, extra: Partial<RecordVersion> = {}): RecordVersion {
  return { ns: 'test', set: 's', digest: new Uint8Array(20), generation: 1, voidTime: 0, lut: 1024, region, deleted: false, bins: {}, binLuts: {}, ...extra };
}

test('origin rules: local ships, back-to-origin never, third region only when forwarding', () => {
  assert.equal(shipVerdict(base, regions, version(1), true), 'ship');
  assert.equal(shipVerdict(base, regions, version(2), false), 'back-to-origin');
  assert.equal(shipVerdict(base, regions, version(2), true), 'back-to-origin');
  assert.equal(shipVerdict(base, regions, version(3), false), 'not-forwarded');
  assert.equal(shipVerdict({ ...base, forward: true }, regions, version(3), false), 'ship');
  assert.equal(shipVerdict({ ...base, forward: true }, regions, version(2), false), 'back-to-origin');
});

test('a rewind with includeOrigin ships versions that originated at the destination, and nothing more', () => {
  assert.equal(shipVerdict(base, regions, version(2), false, true), 'ship');
  assert.equal(shipVerdict(base, regions, version(1), false, true), 'ship');
  assert.equal(shipVerdict(base, regions, version(3), false, true), 'not-forwarded');
});

test('under a merging resolver a local change ships the (possibly merged) current version', () => {
  const binLww = { ...base, resolver: 'bin-lww' as const };
  assert.equal(shipVerdict(binLww, regions, version(2), true), 'ship');
  assert.equal(shipVerdict(binLww, regions, version(2), false), 'back-to-origin');
});

test('under lww and generation a local change ships the current version when the record holds counter state', () => {
  // The current version came from the destination (a merge whose picked version is the destination's) but
  // may hold an increment made here; hot-key coalescing would otherwise drop it as back-to-origin.
  for (const resolver of ['lww', 'generation'] as const) {
    const route = { ...base, resolver };
    assert.equal(shipVerdict(route, regions, { region: 2, holdsCounters: true }, true), 'ship');
    assert.equal(shipVerdict(route, regions, { region: 3, holdsCounters: true }, true), 'ship');
    assert.equal(shipVerdict(route, regions, { region: 2, holdsCounters: true }, false), 'back-to-origin');
    // Records without counters keep the plain rule.
    assert.equal(shipVerdict(route, regions, { region: 2, holdsCounters: false }, true), 'back-to-origin');
    assert.equal(shipVerdict(route, regions, version(2), true), 'back-to-origin');
  }
});

test('bin projection drops bins, their luts and counters; metadata entries stay', () => {
  const v = version(1, {
    bins: { a: 1, b: 2, c: 3 },
    binLuts: { a: 5, b: 6, c: 7, '!record-deleted-at': 3 },
    counters: { b: { base: 0, baseLut: 0, p: { '1': 2 }, n: {} } },
    dormantCounters: { b: { base: 0, baseLut: 0, p: { '1': 1 }, n: {} }, c: { base: 0, baseLut: 0, p: { '2': 1 }, n: {} } },
  });
  const p = projectBins({ bins: { ignore: ['b'] } }, v);
  assert.deepEqual(p.bins, { a: 1, c: 3 });
  assert.deepEqual(p.binLuts, { a: 5, c: 7, '!record-deleted-at': 3 });
  assert.deepEqual(p.counters, {});
  assert.deepEqual(p.dormantCounters, { c: { base: 0, baseLut: 0, p: { '2': 1 }, n: {} } });
  assert.deepEqual(projectBins({ bins: { ship: ['a'] } }, v).bins, { a: 1 });
  assert.equal(projectBins({}, v), v);
});

test('coalescing keeps one change per record, first position, and counts the rest', () => {
  const d = (n: number): Uint8Array => new Uint8Array(20).fill(n);
  const ev = (seq: number, n: number, region: number, set = 's'): ChangeEvent => ({ seq, kind: 'write', ns: 'test', set, digest: d(n), lut: seq * 1024, region });
  const c = coalesce({ sets: { ignore: ['skip'] }, forward: false }, regions, [ev(1, 1, 2), ev(2, 2, 1), ev(3, 1, 1), ev(4, 3, 1, 'skip'), ev(5, 1, 2), ev(6, 4, 2), ev(7, 5, 3)]);
  assert.equal(c.changes.length, 2);
  assert.deepEqual(c.changes[0]!.digest, d(1));
  assert.equal(c.changes[0]!.localChange, true);
  assert.equal(c.changes[0]!.lut, 5 * 1024);
  assert.equal(c.duplicates, 2);
  // The set filter, and records only other regions changed (4: by the destination, 5: by a third region).
  assert.equal(c.filteredOut, 3);
  const fwd = coalesce({ forward: true }, regions, [ev(1, 4, 2), ev(2, 5, 3)]);
  assert.deepEqual(fwd.changes.map((x) => x.digest[0]), [5]);
});

test('chunks bound records and bytes, keep order and never drop a message', () => {
  const m = (n: number) => ({ key: Buffer.alloc(0), value: Buffer.alloc(n), partition: 0, timestampMs: 0 });
  const msgs = [m(10), m(10), m(30), m(5), m(50), m(1)];
  const out = chunks(msgs, 3, 40);
  assert.deepEqual(out.map((c) => c.map((x) => x.value.length)), [[10, 10], [30, 5], [50], [1]]);
  assert.deepEqual(out.flat(), msgs);
});

test('backoff grows, stays within [min/2, max], and is capped', () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const lo = backoffMs(attempt, 100, 5000, () => 0);
    const hi = backoffMs(attempt, 100, 5000, () => 1);
    assert.ok(lo >= 50 && hi <= 5000 && lo <= hi);
  }
  assert.equal(backoffMs(50, 100, 5000, () => 1), 5000);
});

test('rate limiter: one second of burst, then waits proportional to the deficit', () => {
  let now = 0;
  const rl = new RateLimiter(100, { nowMs: () => now });
  assert.equal(rl.batchCap(1000), 100);
  assert.equal(rl.take(100), 0);
  assert.equal(rl.take(50), 500);
  now += 500;
  assert.equal(rl.take(0), 0);
  const unlimited = new RateLimiter(0, { nowMs: () => now });
  assert.equal(unlimited.take(1e6), 0);
  assert.equal(unlimited.batchCap(1000), 1000);
});

test('coalescing tells apart digests whose lookup keys collide (the same first 30 bits)', () => {
  const a = new Uint8Array(20).fill(9);
  const b = new Uint8Array(20).fill(9);
  b[19] = 1;
  // Differs from a only in byte 3's top two bits, which the 30-bit key leaves out.
  const c3 = new Uint8Array(20).fill(9);
  c3[3] = 0x49;
  const ev = (seq: number, digest: Uint8Array): ChangeEvent => ({ seq, kind: 'write', ns: 'test', set: 's', digest, lut: seq, region: 1 });
  const c = coalesce({ forward: false }, regions, [ev(1, a), ev(2, b), ev(3, a), ev(4, c3), ev(5, new Uint8Array(b)), ev(6, new Uint8Array(c3))]);
  assert.equal(c.changes.length, 3);
  assert.equal(c.duplicates, 3);
  assert.equal(c.changes[0]!.digest, a);
  assert.equal(c.changes[1]!.digest, b);
  assert.equal(c.changes[2]!.digest, c3);
  assert.equal(c.changes[2]!.lut, 6, 'the newest lut of its changes');
});

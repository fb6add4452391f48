// The pure parts of anti-entropy: what a repair re-ships from two listings,
// the record budget, the schedule and which routes form a pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionRecordEntry } from '../../../../engine/index.js';
import { RecordBudget, decideRepair, leadsPair, nextPassDelayMs, nextRangeSize, planPairs, type ScheduleInput } from '../../../../xdr/anti-entropy/index.js';
import { type RouteSpec } from '../../../../replication-protocol/index.js';

function entry(digest: string, lut: number, hash = `h${digest}${lut}`, deleted = false): PartitionRecordEntry {
  return { digest, set: 's', generation: 1, lut, region: 1, voidTime: 0, deleted, bins: 1, hash };
}

test('decideRepair: the side holding a record alone ships it; both ship differing versions; equal records ship nothing', () => {
  const a = [entry('01', 10), entry('02', 10, 'same'), entry('03', 10), entry('05', 10, 'x', true)];
  const b = [entry('02', 10, 'same'), entry('03', 12), entry('04', 10)];
  assert.deepEqual(decideRepair(a, b), { aShips: ['01', '03', '05'], bShips: ['03', '04'], settling: 0 });
  assert.deepEqual(decideRepair([], []), { aShips: [], bShips: [], settling: 0 });
});

test('decideRepair: a record changed after the cutoff on either side is settling, not shipped', () => {
  const a = [entry('01', 50), entry('02', 10), entry('03', 10)];
  const b = [entry('02', 60), entry('03', 11), entry('04', 70)];
  // 01 only in a but new; 02 new in b; 04 only in b and new; 03 old on both sides and different: shipped.
  assert.deepEqual(decideRepair(a, b, 40), { aShips: ['03'], bShips: ['03'], settling: 3 });
  // Once the cutoff moves past them, the same listings ship everything that differs.
  assert.deepEqual(decideRepair(a, b, 100), { aShips: ['01', '02', '03'], bShips: ['02', '03', '04'], settling: 0 });
});

test('RecordBudget paces records to the rate and banks at most one second of idle time', () => {
  const b = new RecordBudget(1000, 0);
  assert.equal(b.charge(500, 0), 500);
  assert.equal(b.charge(500, 500), 500);
  // Long idle: only one second's worth may be spent at once.
  assert.equal(b.charge(1000, 10_000), 0);
  assert.equal(b.charge(1000, 10_000), 1000);
  assert.throws(() => new RecordBudget(0, 0), RangeError);
});

test('nextRangeSize aims at the target records at the density seen, within 1..max', () => {
  assert.equal(nextRangeSize(undefined, 500, 256), 1, 'nothing measured yet: one partition');
  assert.equal(nextRangeSize(0, 500, 256), 256, 'an empty namespace goes quickly');
  assert.equal(nextRangeSize(10, 500, 256), 50);
  assert.equal(nextRangeSize(10_000, 500, 256), 1);
  assert.equal(nextRangeSize(0.5, 500, 256), 256);
});

test('schedule: the lead runs passes; the other region only after an unclean start; failures retry sooner', () => {
  const base: ScheduleInput = { lead: true, uncleanStart: false, passes: 0, lastOutcome: 'none', intervalMs: 600_000, firstPassDelayMs: 60_000, uncleanStartDelayMs: 5_000, settleMs: 30_000 };
  assert.equal(leadsPair('tokyo', 'virginia'), true);
  assert.equal(leadsPair('virginia', 'tokyo'), false);
  assert.equal(nextPassDelayMs(base), 60_000);
  assert.equal(nextPassDelayMs({ ...base, lead: false }), null);
  assert.equal(nextPassDelayMs({ ...base, lead: false, uncleanStart: true }), 5_000);
  assert.equal(nextPassDelayMs({ ...base, passes: 1, lastOutcome: 'ok' }), 600_000);
  assert.equal(nextPassDelayMs({ ...base, passes: 1, lastOutcome: 'failed' }), 30_000);
  assert.equal(nextPassDelayMs({ ...base, passes: 1, lastOutcome: 'partial' }), 0);
  // After an unclean start a second pass follows once the settle window covers the crash (what was in flight then).
  assert.equal(nextPassDelayMs({ ...base, lead: false, uncleanStart: true, passes: 1, lastOutcome: 'ok' }), base.settleMs);
  assert.equal(nextPassDelayMs({ ...base, uncleanStart: true, passes: 1, lastOutcome: 'ok' }), base.settleMs);
  // Then the non-lead hands back to the lead.
  assert.equal(nextPassDelayMs({ ...base, lead: false, uncleanStart: true, passes: 2, lastOutcome: 'ok' }), null);
  assert.equal(nextPassDelayMs({ ...base, lead: false, uncleanStart: true, passes: 1, lastOutcome: 'failed' }), 30_000);
});

function route(name: string, source: string, destination: string, extra: Partial<RouteSpec> = {}): { spec: RouteSpec; state: string } {
  return { spec: { name, source, destination, namespace: 'user_data', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, ...extra }, state: 'running' };
}

test('planPairs: routes both ways on a namespace form a pair; one-way, filtered, paused or URL-less pairs are skipped with a reason', () => {
  const url = (r: string) => (r === 'nowhere' ? undefined : `http://${r}`);
  const plans = planPairs('tokyo', [
    route('t-v', 'tokyo', 'virginia'),
    route('v-t', 'virginia', 'tokyo'),
    route('t-p', 'tokyo', 'paris'),
    route('t-l', 'tokyo', 'london', { sets: { ship: ['a'] } }),
    route('l-t', 'london', 'tokyo'),
    route('t-n', 'tokyo', 'nowhere'),
    route('n-t', 'nowhere', 'tokyo'),
    { ...route('t-b', 'tokyo', 'berlin'), state: 'paused' },
    route('b-t', 'berlin', 'tokyo'),
  ], url);
  const by = new Map(plans.map((p) => [p.route, p]));
  assert.deepEqual(by.get('t-v'), { route: 't-v', ns: 'user_data', peer: 'virginia', peerRoute: 'v-t', lead: true });
  assert.match(by.get('t-p')!.skip!, /one-way/);
  assert.match(by.get('t-l')!.skip!, /filters sets or bins/);
  assert.match(by.get('t-n')!.skip!, /no gateway-url/);
  assert.match(by.get('t-b')!.skip!, /paused/);
  assert.equal(plans.length, 5, 'one plan per route this region ships');
});

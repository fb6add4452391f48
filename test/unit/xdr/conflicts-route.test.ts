// GET /v1/xdr/conflicts: names the regions, bounds the limit, answers empty while replication is not up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { registerConflictsRoute } from '../../../xdr/http/index.js';
import type { ConflictsSnapshot } from '../../../receiver/index.js';

const entry = {
  at_ms: 1000, route: 'tokyo-virginia', resolver: 'lww', ns: 'user_data', set: 'profiles', digest: 'ab'.repeat(20), key: 'ada',
  local: { region: 2, lut_ms: 900, generation: 3, deleted: false }, incoming: { region: 1, lut_ms: 950, generation: 2, deleted: false }, winner: 'incoming' as const, reason: 'applied',
};

test('conflicts are listed with region names; limit is bounded; no replication yet answers an empty list', async (t) => {
  let ring: ConflictsSnapshot | undefined = { total: 7, capacity: 256, recent: [entry] };
  const asked: Array<[number, string | undefined]> = [];
  // As the gateway's server: query values are not coerced.
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false } } });
  t.after(() => app.close());
  registerConflictsRoute(app, { region: 'virginia', regionNames: new Map([[1, 'tokyo'], [2, 'virginia']]), read: (limit, route) => (asked.push([limit, route]), ring) });
  let res = await app.inject('/v1/xdr/conflicts?limit=5&route=tokyo-virginia');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.total, 7);
  assert.deepEqual(body.conflicts[0].incoming, { region: 'tokyo', region_id: 1, lut_ms: 950, generation: 2, deleted: false });
  assert.equal(body.conflicts[0].local.region, 'virginia');
  assert.equal(body.conflicts[0].winner, 'incoming');
  assert.deepEqual(asked, [[5, 'tokyo-virginia']]);
  res = await app.inject('/v1/xdr/conflicts?limit=100000');
  assert.equal(res.statusCode, 400, 'limit beyond the ring is refused');
  res = await app.inject('/v1/xdr/conflicts?limit=256');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(asked.at(-1), [256, undefined]);
  ring = undefined;
  res = await app.inject('/v1/xdr/conflicts');
  assert.deepEqual(res.json(), { region: 'virginia', total: 0, capacity: 0, conflicts: [] });
});

test("conflicts/all lists every region's conflicts labelled with the region; a peer without gateway-url or not answering is named with why", async (t) => {
  const app = Fastify({ ajv: { customOptions: { coerceTypes: false } } });
  t.after(() => app.close());
  const askedPeer: number[] = [];
  const peerList = { region: 'wrong-label', total: 2, capacity: 256, conflicts: [{ ...entry, at_ms: 2000, local: { ...entry.local, region: 'tokyo' }, incoming: { ...entry.incoming, region: 'virginia' } }] };
  registerConflictsRoute(app, {
    region: 'virginia',
    regionNames: new Map([[1, 'tokyo'], [2, 'virginia']]),
    read: () => ({ total: 7, capacity: 256, recent: [entry] }),
    peers: [
      { region: 'tokyo', read: async (limit) => (askedPeer.push(limit), peerList) },
      { region: 'paris' },
      { region: 'sydney', read: async () => Promise.reject(new Error('not reachable at its gateway-url http://127.0.0.1:1')) },
    ],
  });
  const res = await app.inject('/v1/xdr/conflicts/all?limit=20');
  assert.equal(res.statusCode, 200);
  const regions = res.json().regions as Array<{ region: string; total: number; conflicts: Array<{ at_ms: number; local: { region: string } }>; error?: string }>;
  assert.deepEqual(regions.map((r) => r.region), ['virginia', 'tokyo', 'paris', 'sydney']);
  assert.equal(regions[0]!.total, 7);
  assert.equal(regions[0]!.conflicts[0]!.local.region, 'virginia');
  assert.equal(regions[0]!.error, undefined);
  assert.equal(regions[1]!.total, 2, "the peer's own list, labelled with the region it was asked as");
  assert.equal(regions[1]!.conflicts[0]!.at_ms, 2000);
  assert.deepEqual(askedPeer, [20]);
  assert.match(regions[2]!.error ?? '', /paris has no gateway-url/);
  assert.deepEqual(regions[2]!.conflicts, []);
  assert.match(regions[3]!.error ?? '', /sydney did not answer: not reachable at its gateway-url/);
  assert.equal((await app.inject('/v1/xdr/conflicts/all?limit=0')).statusCode, 400);
});

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

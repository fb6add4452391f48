// The record API over a real socket on the real engine (no Kafka): operate,
// batch get with present and absent keys, secondary-index query and scan as
// NDJSON, integer and bytes keys, policies — the paths the fake engine of the
// unit tests only imitates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalGateway } from '../../helpers/local-gateway.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function client(base: string) {
  return async (method: string, p: string, body?: unknown): Promise<{ status: number; body: any; text: string }> => {
    const res = await fetch(`${base}${p}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
}

test('operate, policies and key types on the real engine', async (t) => {
  const call = client((await startLocalGateway(t)).url);
  const op = await call('POST', '/v1/records/user_data/c/views/operate', {
    ops: [{ op: 'incr', bin: 'n', value: 5 }, { op: 'incr', bin: 'n', value: -2 }, { op: 'read', bin: 'n' }, { op: 'list-append', bin: 'l', value: 'a' }, { op: 'map-put', bin: 'm', key: 'k', value: { $bytes: 'AQID' } }],
  });
  assert.equal(op.status, 200, op.text);
  assert.equal(op.body.results[2], 3);
  const rec = await call('GET', '/v1/records/user_data/c/views');
  assert.deepEqual(rec.body.bins, { n: 3, l: ['a'], m: { k: { $bytes: 'AQID' } } });
  const mismatch = await call('POST', '/v1/records/user_data/c/views/operate', { ops: [{ op: 'incr', bin: 'l', value: 1 }] });
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.code, 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.deepEqual((await call('GET', '/v1/records/user_data/c/views')).body.bins.n, 3, 'a failed operate changes nothing');

  assert.equal((await call('PUT', '/v1/records/user_data/c/9007199254740993?keyType=integer', { bins: { big: { $int: '9007199254740993' } } })).status, 200);
  assert.deepEqual((await call('GET', '/v1/records/user_data/c/9007199254740993?keyType=integer')).body.bins.big, { $int: '9007199254740993' });
  assert.equal((await call('GET', '/v1/records/user_data/c/9007199254740993')).status, 404, 'a string key is another record');
  assert.equal((await call('PUT', '/v1/records/user_data/c/AAEC?keyType=bytes', { bins: { v: 1 } })).status, 200);
  assert.equal((await call('GET', '/v1/records/user_data/c/AAEC?keyType=bytes')).body.bins.v, 1);

  assert.equal((await call('PUT', '/v1/records/user_data/c/once', { bins: { v: 1 }, exists: 'create' })).status, 200);
  assert.equal((await call('PUT', '/v1/records/user_data/c/once', { bins: { v: 2 }, exists: 'create' })).body.code, 'ENGINE_ERR_RECORD_EXISTS');
  assert.equal((await call('PUT', '/v1/records/user_data/c/once', { bins: { v: 2 }, generation: 5 })).body.code, 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal((await call('PUT', '/v1/records/user_data/c/once', { bins: { v: 2 }, generation: 1 })).status, 200);
  const big = await call('PUT', '/v1/records/user_data/c/huge', { bins: { v: 'x'.repeat(200 * 1024) } });
  assert.equal(big.status, 413);
  assert.equal((await call('GET', '/v1/records/user_data/c/huge')).status, 404, 'nothing half-written');
});

test('batch get and NDJSON query and scan on the real engine', async (t) => {
  const call = client((await startLocalGateway(t)).url);
  for (let i = 0; i < 20; i++) assert.equal((await call('PUT', `/v1/records/user_data/people/p${i}`, { bins: { age: 20 + i, city: i % 2 ? 'tokyo' : 'paris' } })).status, 200);
  const keys = Array.from({ length: 30 }, (_, i) => ({ ns: 'user_data', set: 'people', key: `p${i}` }));
  const batch = await call('POST', '/v1/batch/get', { keys, bins: ['age'] });
  assert.equal(batch.status, 200, batch.text);
  assert.equal(batch.body.records.length, 30);
  assert.deepEqual(batch.body.records[3].bins, { age: 23 });
  assert.equal(batch.body.records[25], null);

  const noIndex = await call('POST', '/v1/query/user_data/people', { filter: { bin: 'age', equals: 25 } });
  assert.equal(noIndex.status, 404, noIndex.text);
  assert.equal(noIndex.body.code, 'ENGINE_ERR_SINDEX_NOT_FOUND');
  assert.equal((await call('PUT', '/v1/indexes/user_data/age_idx', { bin: 'age', type: 'integer' })).status, 201);
  const q = await call('POST', '/v1/query/user_data/people', { filter: { bin: 'age', between: [25, 29] } });
  assert.equal(q.status, 200, q.text);
  const lines = q.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.at(-1), { $done: true, records: 5 });
  assert.deepEqual(lines.slice(0, -1).map((r) => r.bins.age).sort(), [25, 26, 27, 28, 29]);

  const scan = await call('GET', '/v1/scan/user_data?set=people&bins=city');
  const scanned = scan.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(scanned.at(-1), { $done: true, records: 20 });
  assert.ok(scanned.slice(0, -1).every((r) => Object.keys(r.bins).join() === 'city' && typeof r.key === 'string'));
});

test('GeoJSON bins and geo queries through the HTTP API on the real engine', async (t) => {
  const call = client((await startLocalGateway(t)).url);
  const square = { type: 'Polygon', coordinates: [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.9], [2.3, 48.8]]] };
  const points: Array<[string, number, number]> = [['louvre', 2.3376, 48.8606], ['orsay', 2.3266, 48.86], ['versailles', 2.1204, 48.8049], ['tokyo', 139.69, 35.69]];
  for (const [name, lng, lat] of points) {
    const put = await call('PUT', `/v1/records/user_data/places/${name}`, { bins: { name, at: { $geojson: { type: 'Point', coordinates: [lng, lat] } } } });
    assert.equal(put.status, 200, put.text);
  }
  // Stored as written, returned as GeoJSON objects under $geojson (as text in, object out).
  assert.equal((await call('PUT', '/v1/records/user_data/places/paris', { bins: { name: 'paris', area: { $geojson: JSON.stringify(square) }, stops: [{ $geojson: { type: 'Point', coordinates: [2.35, 48.85] } }] } })).status, 200);
  const paris = await call('GET', '/v1/records/user_data/places/paris');
  assert.deepEqual(paris.body.bins, { name: 'paris', area: { $geojson: square }, stops: [{ $geojson: { type: 'Point', coordinates: [2.35, 48.85] } }] });

  // Invalid GeoJSON is refused with its own code and leaves nothing behind.
  const bad = await call('PUT', '/v1/records/user_data/places/nowhere', { bins: { at: { $geojson: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] } } } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.code, 'ENGINE_ERR_INVALID_GEOJSON');
  assert.equal((await call('GET', '/v1/records/user_data/places/nowhere')).status, 404);

  assert.equal((await call('PUT', '/v1/indexes/user_data/at_idx', { bin: 'at', type: 'geo2dsphere' })).status, 201);
  assert.equal((await call('PUT', '/v1/indexes/user_data/area_idx', { bin: 'area', type: 'geo2dsphere' })).status, 201);
  const names = async (filter: unknown): Promise<string[]> => {
    const q = await call('POST', '/v1/query/user_data/places', { filter });
    assert.equal(q.status, 200, q.text);
    return q.text.trim().split('\n').map((l) => JSON.parse(l)).slice(0, -1).map((r) => r.bins.name).sort();
  };
  assert.deepEqual(await names({ bin: 'at', geoWithin: square }), ['louvre', 'orsay']);
  assert.deepEqual(await names({ bin: 'at', geoWithin: { type: 'AeroCircle', coordinates: [[2.3376, 48.8606], 1000] } }), ['louvre', 'orsay']);
  assert.deepEqual(await names({ bin: 'at', geoWithin: { type: 'AeroCircle', coordinates: [[2.3376, 48.8606], 500] } }), ['louvre']);
  assert.deepEqual(await names({ bin: 'area', geoContains: { type: 'Point', coordinates: [2.35, 48.85] } }), ['paris']);
  assert.deepEqual(await names({ bin: 'area', geoContains: { type: 'Point', coordinates: [2.5, 48.85] } }), []);
  const wrongKind = await call('POST', '/v1/query/user_data/places', { filter: { bin: 'at', geoWithin: { type: 'Point', coordinates: [2.35, 48.85] } } });
  assert.equal(wrongKind.body.code, 'ENGINE_ERR_INVALID_ARGUMENT', wrongKind.text);
});

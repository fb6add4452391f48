// operate, write policies and counters on a real device namespace in a temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, computeDigest, type Operation } from '../../../../engine/index.js';
import { openEngine, track } from '../helpers.js';
import { engineErrorCode } from '../../../helpers/error-code.js';

const key = (k: string | number, set = 'profiles') => ({ ns: 'test', set, key: k });

/** Bytes come back from the device as Buffers (a Uint8Array subclass); compare them as plain Uint8Arrays. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

test('every step kind through operate, results in order, one change event per operate', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('u1'), { name: 'Alice', views: 1, tags: ['a'], prefs: { theme: 'dark' }, blob: new Uint8Array([1]) });
  const head = engine.changeLog('test').headSeq();
  const ops: Operation[] = [
    { op: 'incr', bin: 'views', value: 41 },
    { op: 'read', bin: 'views' },
    { op: 'append', bin: 'name', value: ' Chen' },
    { op: 'prepend', bin: 'name', value: 'Dr. ' },
    { op: 'append', bin: 'blob', value: new Uint8Array([2]) },
    { op: 'list-append', bin: 'tags', value: 'c' },
    { op: 'list-insert', bin: 'tags', index: 1, value: 'b' },
    { op: 'list-set', bin: 'tags', index: -1, value: 'z' },
    { op: 'list-get', bin: 'tags', index: -1 },
    { op: 'list-get-range', bin: 'tags', index: 0, count: 2 },
    { op: 'list-size', bin: 'tags' },
    { op: 'list-sort', bin: 'tags', descending: true },
    { op: 'list-remove', bin: 'tags', index: 0 },
    { op: 'map-put', bin: 'prefs', key: 'lang', value: 'en' },
    { op: 'map-put-items', bin: 'prefs', items: { tz: 'UTC', n: 1 } },
    { op: 'map-incr', bin: 'prefs', key: 'n', value: 2 },
    { op: 'map-get', bin: 'prefs', key: 'lang' },
    { op: 'map-remove', bin: 'prefs', key: 'tz' },
    { op: 'map-size', bin: 'prefs' },
    { op: 'map-get-range', bin: 'prefs', from: 'a', to: 'm' },
    { op: 'write', bin: 'nested', value: { deep: [1, { x: [true, false, 2.5] }], big: 2n ** 62n } },
    { op: 'delete-bin', bin: 'gone' },
    { op: 'touch' },
    { op: 'read', bin: 'name' },
  ];
  const res = await engine.operate(key('u1'), ops, { ttl: 3600 });
  assert.deepEqual(res.results, [
    null, 42, null, null, null, 2, 3, null, 'z', ['a', 'b'], 3, null, 1,
    2, 4, 3, 'en', 'UTC', 3, { lang: 'en' }, null, null, null, 'Dr. Alice Chen',
  ]);
  assert.equal(res.generation, 2);
  assert.equal(res.ttl, 3600);
  assert.equal(engine.changeLog('test').headSeq(), head + 1, 'one change event for the whole operate');
  const rec = await engine.get(key('u1'));
  assert.deepEqual(plain(rec?.bins), {
    name: 'Dr. Alice Chen',
    views: 42,
    tags: ['b', 'a'],
    prefs: { theme: 'dark', lang: 'en', n: 3 },
    blob: new Uint8Array([1, 2]),
    nested: { deep: [1, { x: [true, false, 2.5] }], big: 2n ** 62n },
  });
  // The increment is booked as a convergent counter under this region.
  const v = await engine.readVersion('test', computeDigest('profiles', 'u1'));
  assert.deepEqual(v?.counters?.views?.p, { '1': 41 });
  assert.equal(v?.binLuts.gone, v?.lut, 'deleting a bin leaves a bin tombstone');
});

test('a failing step leaves the record untouched (atomic), and reads alone do not write', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('a'), { n: 1, s: 'x', l: [1] });
  const head = engine.changeLog('test').headSeq();
  assert.equal(await engineErrorCode(engine.operate(key('a'), [{ op: 'incr', bin: 'n', value: 1 }, { op: 'incr', bin: 's', value: 1 }])), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(await engineErrorCode(engine.operate(key('a'), [{ op: 'write', bin: 'w', value: 1 }, { op: 'list-get', bin: 'l', index: 5 }])), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(await engineErrorCode(engine.operate(key('a'), [{ op: 'incr', bin: 'n', value: 2n ** 63n - 1n }])), 'ENGINE_ERR_INCR_OVERFLOW');
  assert.equal(await engineErrorCode(engine.operate(key('a'), [{ op: 'map-put', bin: 'l', key: 'k', value: 1 }])), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(await engineErrorCode(engine.operate(key('a'), [{ op: 'bogus' } as never])), 'ENGINE_ERR_INVALID_ARGUMENT');
  const read = await engine.operate(key('a'), [{ op: 'read', bin: 'n' }, { op: 'list-size', bin: 'l' }]);
  assert.deepEqual(read.results, [1, 1]);
  const rec = await engine.get(key('a'));
  assert.deepEqual(rec?.bins, { n: 1, s: 'x', l: [1] });
  assert.equal(rec?.generation, 1);
  assert.equal(engine.changeLog('test').headSeq(), head, 'nothing was logged');
  assert.equal(await engineErrorCode(engine.operate(key('missing'), [{ op: 'read', bin: 'n' }])), 'ENGINE_ERR_RECORD_NOT_FOUND');
  assert.equal(await engineErrorCode(engine.operate(key('missing'), [{ op: 'touch' }])), 'ENGINE_ERR_RECORD_NOT_FOUND');
  assert.equal(await engineErrorCode(engine.operate({ ns: 'nope', set: 's', key: 1 }, [{ op: 'touch' }])), 'ENGINE_ERR_NAMESPACE_NOT_FOUND');
});

test('write policies through operate: exists, generation, ttl', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [{ name: 'test', filesize: 2 * 1024 * 1024, writeBlockSize: 64 * 1024, nsupPeriod: 0, defaultTtl: 100 }] });
  const w = (v: number): Operation[] => [{ op: 'write', bin: 'v', value: v }];
  assert.equal(await engineErrorCode(engine.operate(key('p'), w(1), { exists: 'update' })), 'ENGINE_ERR_RECORD_NOT_FOUND');
  assert.equal(await engineErrorCode(engine.operate(key('p'), w(1), { exists: 'replace' })), 'ENGINE_ERR_RECORD_NOT_FOUND');
  assert.equal((await engine.operate(key('p'), w(1), { exists: 'create' })).generation, 1);
  assert.equal(await engineErrorCode(engine.operate(key('p'), w(2), { exists: 'create' })), 'ENGINE_ERR_RECORD_EXISTS');
  await engine.operate(key('p'), [{ op: 'write', bin: 'other', value: 'o' }], { exists: 'update' });
  await engine.operate(key('p'), w(3), { exists: 'replace' });
  assert.deepEqual((await engine.get(key('p')))?.bins, { v: 3 }, 'replace drops bins the operate does not write');
  await engine.operate(key('q'), w(4), { exists: 'create-or-replace' });
  assert.equal(await engineErrorCode(engine.operate(key('p'), w(5), { generation: { mode: 'eq', value: 1 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal((await engine.operate(key('p'), w(5), { generation: { mode: 'eq', value: 3 } })).generation, 4);
  assert.equal(await engineErrorCode(engine.operate(key('p'), w(6), { generation: { mode: 'gt', value: 4 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal((await engine.operate(key('p'), w(6), { generation: { mode: 'gt', value: 5 } })).generation, 5);
  // ttl: namespace default, explicit, keep (-2), never (-1), invalid.
  assert.equal((await engine.operate(key('t'), w(1))).ttl, 100);
  assert.equal((await engine.operate(key('t'), w(1), { ttl: 10 })).ttl, 10);
  assert.equal((await engine.operate(key('t'), w(1), { ttl: -2 })).ttl, 10);
  assert.equal((await engine.operate(key('t'), w(1), { ttl: -1 })).ttl, -1);
  assert.equal(await engineErrorCode(engine.operate(key('t'), w(1), { ttl: -7 })), 'ENGINE_ERR_INVALID_ARGUMENT');
  await engine.operate(key('t'), w(1), { ttl: 5 });
  clock.advance(6000);
  assert.equal(await engine.get(key('t')), null, 'expired at once');
  assert.equal(await engineErrorCode(engine.operate(key('t'), [{ op: 'read', bin: 'v' }])), 'ENGINE_ERR_RECORD_NOT_FOUND');
});

test('removing the last bin leaves a tombstone that replicates; writing again revives the record', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('d'), { only: 1 });
  await engine.operate(key('d'), [{ op: 'delete-bin', bin: 'only' }]);
  assert.equal(await engine.get(key('d')), null);
  const tomb = await engine.readVersion('test', computeDigest('profiles', 'd'));
  assert.equal(tomb?.deleted, true);
  assert.equal(tomb?.binLuts['!record-deleted-at'], 0, 'removing bins is not a record delete: horizon 0');
  const res = await engine.operate(key('d'), [{ op: 'incr', bin: 'c', value: 1 }]);
  assert.equal(res.generation, 3);
  assert.deepEqual((await engine.get(key('d')))?.bins, { c: 1 });
});

test('operate results survive a restart; nested values come back equal', async (t) => {
  const { engine, dir, clock, options } = await openEngine(t);
  const nested = { a: [1, 2, { b: 'c', d: [new Uint8Array([9]), -(2n ** 60n), 1.25] }], e: {} };
  await engine.operate(key(7), [{ op: 'write', bin: 'n', value: nested }, { op: 'list-append', bin: 'l', value: nested }, { op: 'incr', bin: 'c', value: -3 }]);
  await engine.close();
  const again = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  const rec = await again.get(key(7));
  assert.deepEqual(plain(rec?.bins), { n: nested, l: [nested], c: -3 });
});

test('the seed\'s Python examples, one by one', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [{ name: 'user_data', filesize: 2 * 1024 * 1024, writeBlockSize: 64 * 1024, nsupPeriod: 0 }] });
  const k = { ns: 'user_data', set: 'profiles', key: 'user:1001' };
  // client.put(key, bins, {'ttl': 86400 * 30})
  await engine.put(k, { name: 'Alice Chen', plan: 'premium', last_seen: 1737500000, feature_flags: ['ab_test_v2', 'new_checkout'] }, { ttl: 86400 * 30 });
  // (key, meta, record) = client.get(key)
  const got = await engine.get(k);
  assert.equal(got?.bins.name, 'Alice Chen');
  assert.equal(got?.ttl, 86400 * 30);
  // client.select(key, ['name', 'plan'])
  assert.deepEqual((await engine.get(k, { bins: ['name', 'plan'] }))?.bins, { name: 'Alice Chen', plan: 'premium' });
  // client.put(key, {'last_seen': 1737600000})  (partial update)
  await engine.put(k, { last_seen: 1737600000 });
  // client.increment(key, 'page_views', 1)
  await engine.operate(k, [{ op: 'incr', bin: 'page_views', value: 1 }]);
  assert.equal((await engine.get(k))?.bins.page_views, 1);
  // client.get_many(keys) over user:1000..user:1099
  const keys = Array.from({ length: 100 }, (_, i) => ({ ns: 'user_data', set: 'profiles', key: `user:${1000 + i}` }));
  const many = await engine.batchGet(keys);
  assert.equal(many.filter((r) => r !== null).length, 1);
  assert.equal(many[1]?.bins.plan, 'premium');
  // client.put(key, {'plan': 'enterprise'}, {}, {'exists': aerospike.POLICY_EXISTS_UPDATE})
  await engine.put(k, { plan: 'enterprise' }, { exists: 'update' });
  assert.equal(await engineErrorCode(engine.put({ ...k, key: 'user:nobody' }, { plan: 'x' }, { exists: 'update' })), 'ENGINE_ERR_RECORD_NOT_FOUND');
  // client.index_integer_create('user_data', 'profiles', 'account_tier', 'idx_tier')
  for (let i = 0; i < 30; i++) await engine.put({ ...k, key: `user:${2000 + i}` }, { account_tier: i % 3, last_seen: 1737000000 + i * 30000 });
  await engine.createIndex({ ns: 'user_data', set: 'profiles', bin: 'account_tier', name: 'idx_tier', type: 'integer' });
  // query.where(p.equals('account_tier', 2))
  const tier2: unknown[] = [];
  for await (const r of engine.query('user_data', { bin: 'account_tier', equals: 2 }, { set: 'profiles' })) tier2.push(r.key);
  assert.equal(tier2.length, 10);
  // query.where(p.between('last_seen', 1737000000, 1737600000))  (needs an index on last_seen)
  await engine.createIndex({ ns: 'user_data', set: 'profiles', bin: 'last_seen', name: 'idx_last_seen', type: 'integer' });
  const recent: unknown[] = [];
  for await (const r of engine.query('user_data', { bin: 'last_seen', between: [1737000000, 1737600000] }, { set: 'profiles' })) recent.push(r.key);
  assert.equal(recent.length, 22, 'seeded users 0..20 plus user:1001 (last_seen 1737600000, the upper bound)');
  // client.remove(key)
  assert.equal(await engine.remove(k), true);
  assert.equal(await engine.get(k), null);
});

test('concurrent increments of one record lose nothing (buffered and commit-to-device)', async (t) => {
  for (const commitToDevice of [false, true]) {
    const { engine } = await openEngine(t, { namespaces: [{ name: 'test', filesize: 4 * 1024 * 1024, writeBlockSize: 64 * 1024, nsupPeriod: 0, commitToDevice }] });
    const k = key('hot');
    await Promise.all(Array.from({ length: 500 }, (_, i) => engine.operate(k, [{ op: 'incr', bin: 'n', value: 1 }, { op: 'list-append', bin: 'l', value: i }])));
    const rec = await engine.get(k);
    assert.equal(rec?.bins.n, 500, `commitToDevice=${commitToDevice}`);
    assert.equal((rec?.bins.l as number[]).length, 500);
    assert.equal(rec?.generation, 500);
  }
});

test('an increment after a delete opens its counter epoch at the delete (docs/conflict.md)', async (t) => {
  const { engine } = await openEngine(t);
  const digestOf = (k: string) => computeDigest('profiles', k);
  // Record deleted durably, then incremented: the epoch starts at the tombstone's lut.
  await engine.put(key('r'), { c: 5 });
  await engine.remove(key('r'));
  const tomb = await engine.readVersion('test', digestOf('r'));
  await engine.operate(key('r'), [{ op: 'incr', bin: 'c', value: 1 }]);
  let v = await engine.readVersion('test', digestOf('r'));
  assert.deepEqual(v?.counters?.c, { base: 0, baseLut: tomb!.lut, p: { '1': 1 }, n: {} });
  assert.equal(v?.bins.c, 1);
  // One bin removed by a put, then incremented: the epoch starts at the bin's removal.
  await engine.put(key('b'), { c: 5, d: 1 });
  await engine.put(key('b'), { c: null });
  const removedAt = (await engine.readVersion('test', digestOf('b')))!.binLuts.c;
  await engine.operate(key('b'), [{ op: 'incr', bin: 'c', value: -2 }]);
  v = await engine.readVersion('test', digestOf('b'));
  assert.deepEqual(v?.counters?.c, { base: 0, baseLut: removedAt, p: {}, n: { '1': 2 } });
  assert.equal(v?.bins.c, -2);
});

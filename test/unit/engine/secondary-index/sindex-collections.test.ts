// Secondary indexes on the elements of lists and maps, and on values inside a
// context path: a record is filed under every distinct element, found once by
// a query, and unfiled as its elements change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CTX, Engine, type QueryFilter } from '../../../../engine/index.js';
import { defer } from '../../../helpers/cleanup.js';
import { tmpDir } from '../../../helpers/tmp.js';

async function open(t: Parameters<typeof tmpDir>[0]): Promise<Engine> {
  const engine = await Engine.open({ dataDir: await tmpDir(t), regionId: 1, namespaces: [{ name: 'ns', storageEngine: 'memory' }] });
  defer(t, () => engine.close());
  return engine;
}

async function keysFound(engine: Engine, filter: QueryFilter): Promise<string[]> {
  const out: string[] = [];
  for await (const item of engine.scanPartitions('ns', { partitions: [...Array(4096).keys()], filter })) if (item.record !== undefined) out.push(String(item.record.key));
  return out.sort();
}

test('list, map-key and map-value indexes, and an index at a context path', async (t) => {
  const engine = await open(t);
  await engine.createIndex({ ns: 'ns', name: 'tags', bin: 'tags', type: 'string', collection: 'list' });
  await engine.createIndex({ ns: 'ns', name: 'attrs', bin: 'attrs', type: 'string', collection: 'mapkeys' });
  await engine.createIndex({ ns: 'ns', name: 'scores', bin: 'attrs', type: 'integer', collection: 'mapvalues' });
  await engine.createIndex({ ns: 'ns', name: 'deep', bin: 'doc', type: 'integer', context: [{ type: CTX.MAP_KEY, value: 'inner' }] });
  await engine.put({ ns: 'ns', set: 's', key: 'a' }, { tags: ['red', 'blue', 'red'], attrs: { x: 1, y: 5 }, doc: { inner: 7 } });
  await engine.put({ ns: 'ns', set: 's', key: 'b' }, { tags: ['blue'], attrs: { y: 9 }, doc: { inner: 'seven' } });
  assert.deepEqual(await keysFound(engine, { bin: 'tags', collection: 'list', equals: 'blue' }), ['a', 'b']);
  assert.deepEqual(await keysFound(engine, { bin: 'tags', collection: 'list', equals: 'red' }), ['a'], 'a record holding a value twice is found once');
  assert.deepEqual(await keysFound(engine, { bin: 'attrs', collection: 'mapkeys', equals: 'y' }), ['a', 'b']);
  assert.deepEqual(await keysFound(engine, { bin: 'attrs', collection: 'mapvalues', between: [2, 9] }), ['a', 'b']);
  assert.deepEqual(await keysFound(engine, { bin: 'doc', context: [{ type: CTX.MAP_KEY, value: 'inner' }], equals: 7 }), ['a']);
  // The bin's own value is not the list index's business, and vice versa.
  await assert.rejects(async () => keysFound(engine, { bin: 'tags', equals: 'blue' }), { code: 'ENGINE_ERR_SINDEX_NOT_FOUND' });
  await engine.put({ ns: 'ns', set: 's', key: 'a' }, { tags: ['green'] });
  assert.deepEqual(await keysFound(engine, { bin: 'tags', collection: 'list', equals: 'blue' }), ['b']);
  await engine.remove({ ns: 'ns', set: 's', key: 'b' });
  assert.deepEqual(await keysFound(engine, { bin: 'tags', collection: 'list', equals: 'blue' }), []);
  assert.deepEqual(await keysFound(engine, { bin: 'tags', collection: 'list', equals: 'green' }), ['a']);
});

test('an index definition with a collection or context survives a restart (rebuilt from the records)', async (t) => {
  const dataDir = await tmpDir(t);
  const first = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: 'ns', storageEngine: 'memory', persist: true }] });
  await first.createIndex({ ns: 'ns', name: 'tags', bin: 'tags', type: 'string', collection: 'list' });
  await first.close();
  const second = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: 'ns', storageEngine: 'memory', persist: true }] });
  defer(t, () => second.close());
  assert.deepEqual(second.listIndexes('ns'), [{ name: 'tags', ns: 'ns', bin: 'tags', type: 'string', collection: 'list' }]);
});

test('a blob index files bytes values (also list elements) and answers equality queries; other kinds are not filed', async (t) => {
  const engine = await open(t);
  await engine.createIndex({ ns: 'ns', name: 'blob', bin: 'b', type: 'blob' });
  await engine.createIndex({ ns: 'ns', name: 'blobs', bin: 'bl', type: 'blob', collection: 'list' });
  await engine.put({ ns: 'ns', set: 's', key: 'a' }, { b: new Uint8Array([1, 2, 3]), bl: [new Uint8Array([9]), 'x'] });
  await engine.put({ ns: 'ns', set: 's', key: 'b' }, { b: new Uint8Array([1, 2]), bl: [new Uint8Array([9, 9])] });
  await engine.put({ ns: 'ns', set: 's', key: 'c' }, { b: 'not bytes' });
  assert.deepEqual(await keysFound(engine, { bin: 'b', equals: new Uint8Array([1, 2, 3]) }), ['a']);
  assert.deepEqual(await keysFound(engine, { bin: 'b', equals: Buffer.from([1, 2]) }), ['b']);
  assert.deepEqual(await keysFound(engine, { bin: 'b', equals: new Uint8Array([]) }), []);
  assert.deepEqual(await keysFound(engine, { bin: 'bl', collection: 'list', equals: new Uint8Array([9]) }), ['a']);
  // A string filter asks for a string index, which this bin does not have.
  await assert.rejects(async () => keysFound(engine, { bin: 'b', equals: 'not bytes' }), { code: 'ENGINE_ERR_SINDEX_NOT_FOUND' });
  await assert.rejects(async () => engine.createIndex({ ns: 'ns', name: 'bad', bin: 'm', type: 'blob', collection: 'mapkeys' }), { code: 'ENGINE_ERR_INVALID_ARGUMENT' });
});

// The info commands a client needs to discover a one-node cluster, and the
// admin ones: secondary indexes, UDF modules (stored, not run), jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireClient, infoFrame, infoText } from '../../../helpers/aerospike-wire.js';
import { startService } from './service.js';

async function info(c: WireClient, ...names: string[]): Promise<Record<string, string>> {
  const text = infoText(await c.request(infoFrame(names)));
  const out: Record<string, string> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    out[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return out;
}

test('cluster discovery: node id, generations, build, peers of a one-node region, a replicas map owning all 4096 partitions', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const r = await info(c, 'node', 'partition-generation', 'build', 'peers-generation', 'peers-clear-std', 'replicas', 'features', 'status', 'edition', 'version', 'namespaces', 'no-such-command');
  assert.match(r.node!, /^[0-9A-F]{12}$/);
  assert.equal(r['partition-generation'], '1');
  assert.equal(r.build, '7.2.0.0');
  assert.equal(r['peers-generation'], '1');
  assert.equal(r['peers-clear-std'], `1,${port},[]`);
  assert.equal(r.replicas, `test:0,1,${'/'.repeat(680)}//8=`);
  assert.ok(r.features!.split(';').includes('pscans'));
  assert.equal(r.status, 'ok');
  assert.equal(r.edition, 'Aerospike Community Edition');
  assert.equal(r.version, 'Aerospike Community Edition build 7.2.0.0');
  assert.equal(r.namespaces, 'test');
  assert.equal(r['no-such-command'], '', 'unknown commands are echoed with an empty value');
  // An empty request is the summary, with version and edition not first.
  const summary = infoText(await c.request(infoFrame([])));
  assert.ok(summary.includes('\nversion\t') && summary.includes('\nedition\t'));
});

test('the node id is stable across restarts of the same data directory', async (t) => {
  const first = await startService(t);
  const a = await info(await WireClient.connect(t, first.port), 'node');
  await first.service.stop();
  await first.engine.close();
  const second = await startService(t, {}, first.dataDir);
  const b = await info(await WireClient.connect(t, second.port), 'node');
  assert.equal(a.node, b.node);
});

test('namespace statistics and configuration, as the suite reads them', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const r = await info(c, 'namespace/test', 'get-config:context=namespace;id=test', 'namespace/nope', 'statistics');
  assert.match(r['namespace/test']!, /(^|;)objects=0(;|$)/);
  assert.match(r['get-config:context=namespace;id=test']!, /nsup-period=120/);
  assert.match(r['namespace/nope']!, /^FAIL:20:/);
  assert.match(r.statistics!, /cluster_size=1/);
  assert.match(r.statistics!, /client_connections=1/);
});

test('secondary indexes: create (pre-8.1 syntax), status with load_pct, duplicates refused with 200, delete, missing with 201', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  const create = 'sindex-create:ns=test;set=demo;indexname=idx_age;indexdata=age,NUMERIC';
  assert.equal((await info(c, create))[create], 'OK');
  assert.deepEqual(engine.listIndexes('test'), [{ name: 'idx_age', ns: 'test', set: 'demo', bin: 'age', type: 'integer' }]);
  assert.match((await info(c, create))[create]!, /^FAIL:200:/);
  const list = 'sindex-create:ns=test;set=demo;indexname=idx_tags;indextype=LIST;indexdata=tags,STRING';
  assert.equal((await info(c, list))[list], 'OK');
  assert.equal(engine.listIndexes('test').find((s) => s.name === 'idx_tags')?.collection, 'list');
  const status = await info(c, 'sindex/test/idx_age', 'sindex-exists:ns=test;indexname=idx_age', 'sindex/test/none');
  assert.match(status['sindex/test/idx_age']!, /load_pct=100;/);
  assert.equal(status['sindex-exists:ns=test;indexname=idx_age'], 'true');
  assert.match(status['sindex/test/none']!, /^FAIL:201:/);
  const geo = 'sindex-create:ns=test;indexname=g;indexdata=loc,GEO2DSPHERE';
  assert.equal((await info(c, geo))[geo], 'OK');
  assert.match((await info(c, 'sindex-list:ns=test'))['sindex-list:ns=test']!, /indexname=g:set=NULL:bin=loc:type=geo2dsphere:/);
  const blob = 'sindex-create:ns=test;indexname=b;indexdata=raw,BLOB';
  assert.equal((await info(c, blob))[blob], 'OK');
  assert.match((await info(c, 'sindex-list:ns=test'))['sindex-list:ns=test']!, /indexname=b:set=NULL:bin=raw:type=blob:/);
  const unknown = 'sindex-create:ns=test;indexname=u;indexdata=raw,FLOAT';
  assert.match((await info(c, unknown))[unknown]!, /^FAIL:16:/);
  const drop = 'sindex-delete:ns=test;indexname=idx_age';
  assert.equal((await info(c, drop))[drop], 'OK');
  assert.match((await info(c, drop))[drop]!, /^FAIL:201:/);
});

test('UDF modules are registered, listed with their SHA-1, read back and removed; they survive a restart', async (t) => {
  const first = await startService(t);
  const c = await WireClient.connect(t, first.port);
  const lua = Buffer.from('function hello(rec) return 1 end\n');
  const put = `udf-put:filename=mod.lua;content=${lua.toString('base64')};content-len=${lua.toString('base64').length};udf-type=LUA;`;
  assert.equal((await info(c, put))[put], 'OK');
  const listed = (await info(c, 'udf-list'))['udf-list']!;
  assert.match(listed, /^filename=mod\.lua,hash=[0-9a-f]{40},type=LUA;$/);
  await first.service.stop();
  await first.engine.close();
  const second = await startService(t, {}, first.dataDir);
  const c2 = await WireClient.connect(t, second.port);
  assert.equal((await info(c2, 'udf-list'))['udf-list'], listed);
  const got = (await info(c2, 'udf-get:filename=mod.lua'))['udf-get:filename=mod.lua']!;
  assert.match(got, new RegExp(`content=${lua.toString('base64').replace(/[+/=]/g, '\\$&')};`));
  assert.equal((await info(c2, 'udf-remove:filename=mod.lua;'))['udf-remove:filename=mod.lua;'], 'OK');
  assert.match((await info(c2, 'udf-remove:filename=mod.lua;'))['udf-remove:filename=mod.lua;']!, /^FAIL:100:/);
  assert.equal((await info(c2, 'udf-list'))['udf-list'], '');
});

test('query-show: an unknown job reads as FAIL:2 (clients take it as finished)', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  assert.match((await info(c, 'query-show:trid=12345'))['query-show:trid=12345']!, /^FAIL:2:/);
});

// verify end to end in one process: two real engines behind the partition
// endpoints (fastify inject), compared by verifyRegions exactly as the CLI does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import fastify from 'fastify';
import { Engine, PARTITION_COUNT } from '../../../../engine/index.js';
import { enginePartitionSource, formatReport, registerPartitionRoutes, resolveRegionUrl, verdictOf, verifyRegions, type RegionEndpoint } from '../../../../xdr/verify/index.js';
import { toErrorReply } from '../../../../xdr/http/index.js';
import { tmpDir } from '../../../helpers/tmp.js';
import { defer, type CleanupScope } from '../../../helpers/cleanup.js';

async function region(t: CleanupScope, name: string, id: number): Promise<{ engine: Engine; endpoint: RegionEndpoint; requests: string[] }> {
  const engine = await Engine.open({ dataDir: await tmpDir(t, 'xdrgate-verify-'), regionId: id, namespaces: [{ name: 'n', filesize: 16 * 1024 * 1024 }, { name: 'm', storageEngine: 'memory' }] });
  defer(t, () => engine.close());
  const app = fastify();
  // The gateway's error rendering, so statuses are the ones clients see.
  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = toErrorReply(err);
    return reply.code(status).send(body);
  });
  registerPartitionRoutes(app, { region: name, source: enginePartitionSource(engine)! });
  await app.ready();
  defer(t, () => app.close());
  const requests: string[] = [];
  const endpoint: RegionEndpoint = {
    name,
    async get<T>(url: string) {
      requests.push(url);
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
  };
  return { engine, endpoint, requests };
}

async function copyAll(a: Engine, b: Engine, ns: string): Promise<void> {
  for await (const v of a.scanVersionsSince(ns, 0)) await b.applyVersion(v);
}

test('identical regions: exit-0 report; differences are listed record by record', async (t) => {
  const tokyo = await region(t, 'tokyo', 1);
  const virginia = await region(t, 'virginia', 2);
  for (let i = 0; i < 500; i++) await tokyo.engine.put({ ns: 'n', set: 'users', key: `u${i}` }, { i });
  await tokyo.engine.put({ ns: 'm', set: 's', key: 7 }, { x: 'y' });
  await copyAll(tokyo.engine, virginia.engine, 'n');
  await copyAll(tokyo.engine, virginia.engine, 'm');
  const progress: number[] = [];
  const same = await verifyRegions({ from: tokyo.endpoint, to: virginia.endpoint, partitionsPerRequest: 1024, onProgress: (done) => progress.push(done) });
  assert.equal(same.identical, true);
  assert.deepEqual(same.namespaces.map((n) => [n.ns, n.records.from, n.records.to]).sort(), [['m', 1, 1], ['n', 500, 500]]);
  assert.equal(progress.at(-1), 2 * PARTITION_COUNT);
  assert.match(formatReport(same), /identical: tokyo and virginia/);

  await virginia.engine.put({ ns: 'n', set: 'users', key: 'u1' }, { i: -1 }); // a write that never replicated
  await virginia.engine.put({ ns: 'n', set: 'users', key: 'only-va' }, { i: 0 });
  await tokyo.engine.remove({ ns: 'n', set: 'users', key: 'u2' });
  const diff = await verifyRegions({ from: tokyo.endpoint, to: virginia.endpoint, namespaces: ['n'] });
  assert.equal(diff.identical, false);
  const n = diff.namespaces[0]!;
  assert.equal(n.diffCount, 3);
  const text = formatReport(diff);
  assert.match(text, /n\/users\/only-va: only in virginia/);
  assert.match(text, /n\/users\/u1: differs \(.*generation 1 vs 2/);
  assert.match(text, /n\/users\/u2: differs \(.*deleted false vs true|n\/users\/u2: differs \(deleted true vs false/);
  assert.match(text, /DIFFERENT/);
  assert.match(text, /xdrgate verify --repair/, 'the report says how the regions get back what their peer holds');
  // Past listPartitionsMax only partition ids are reported.
  const capped = await verifyRegions({ from: tokyo.endpoint, to: virginia.endpoint, namespaces: ['n'], listPartitionsMax: 1 });
  assert.equal(capped.namespaces[0]!.unlistedPartitions, n.differingPartitions.length - 1);
  assert.match(formatReport(capped), /more differing partition\(s\) not listed/);
  virginia.requests.length = 0;
  await verifyRegions({ from: tokyo.endpoint, to: virginia.endpoint, namespaces: ['n'] });
  // Only differing partitions were listed record by record.
  assert.equal(virginia.requests.filter((r) => /\/n\/\d+/.test(r)).length, n.differingPartitions.length);
});

test('rechecks let replication in flight settle before a partition counts as different', async (t) => {
  const tokyo = await region(t, 'tokyo', 1);
  const virginia = await region(t, 'virginia', 2);
  await tokyo.engine.put({ ns: 'n', set: 's', key: 'late' }, { v: 1 });
  setTimeout(() => void copyAll(tokyo.engine, virginia.engine, 'n'), 50);
  const r = await verifyRegions({ from: tokyo.endpoint, to: virginia.endpoint, namespaces: ['n'], rechecks: 5, recheckDelayMs: 100 });
  assert.equal(r.identical, true);
});

test('bad requests: unknown namespace, range, a namespace one side lacks', async (t) => {
  const tokyo = await region(t, 'tokyo', 1);
  await assert.rejects(tokyo.endpoint.get('/v1/admin/partitions/n?from=5&to=4'), /400.*XDR_ERR_VERIFY_BAD_RANGE/);
  await assert.rejects(tokyo.endpoint.get('/v1/admin/partitions/n?from=0&to=4096'), /400.*XDR_ERR_VERIFY_BAD_RANGE|400/);
  await assert.rejects(tokyo.endpoint.get('/v1/admin/partitions/n/9999'), /400/);
  await assert.rejects(tokyo.endpoint.get('/v1/admin/partitions/n?from=-1'), /400/);
  await assert.rejects(verifyRegions({ from: tokyo.endpoint, to: tokyo.endpoint, namespaces: ['nope'] }), { code: 'XDR_ERR_VERIFY_NAMESPACE_MISSING' });
});

test('regions resolve from a URL, XDRGATE_URL_<REGION>, or the listen address of <dir>/<region>.yaml', async (t) => {
  const dir = await tmpDir(t, 'xdrgate-verify-cfg-');
  const shipped = await readFile(path.join(import.meta.dirname, '../../../../config/virginia.yaml'), 'utf8');
  await writeFile(path.join(dir, 'virginia.yaml'), shipped);
  assert.deepEqual(resolveRegionUrl('http://10.0.0.1:4100', dir), { name: '10.0.0.1:4100', url: 'http://10.0.0.1:4100' });
  assert.deepEqual(resolveRegionUrl('tokyo', dir, { XDRGATE_URL_TOKYO: 'http://t:1' }), { name: 'tokyo', url: 'http://t:1' });
  assert.equal(resolveRegionUrl('virginia', dir, {}).url, 'http://127.0.0.1:4200');
  assert.throws(() => resolveRegionUrl('mars', dir, {}), { code: 'XDR_ERR_VERIFY_REGION_UNKNOWN' });
});

test('under load: partitions that kept changing but hold no differing record are in flight, not DIFFERENT', () => {
  const ns = (over: object) => ({ ns: 'n', records: { from: 10, to: 10 }, differingPartitions: [7], diffCount: 0, diffs: [], unlistedPartitions: 0, settledPartitions: 2, inFlightPartitions: [7], ...over });
  assert.equal(verdictOf([ns({ differingPartitions: [], inFlightPartitions: [] })]), 'identical');
  assert.equal(verdictOf([ns({})]), 'in-flight');
  assert.equal(verdictOf([ns({}), ns({ diffCount: 1, inFlightPartitions: [] })]), 'different');
  assert.equal(verdictOf([ns({ unlistedPartitions: 3 })]), 'different', 'a partition not listed may hide a difference');
  const text = formatReport({ from: 'tokyo', to: 'virginia', identical: false, verdict: 'in-flight', namespaces: [ns({})] });
  assert.match(text, /^IN FLIGHT: no record differs between tokyo and virginia/m);
  assert.doesNotMatch(text, /DIFFERENT/);
});

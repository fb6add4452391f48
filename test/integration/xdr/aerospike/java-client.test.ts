// The official Aerospike Java client (com.aerospike:aerospike-client-jdk8
// 9.0.5, unchanged; test/java) against real gateway processes. The Java
// program prints one JSON line per step; this test decides what is right.
// One region with service.users: the client discovers the node and the
// partition map, logs in, and walks puts, reads, operate, batch, a secondary
// index query, a scan, touch and the policy refusals. Two regions (the shipped
// Tokyo and Virginia configs, real Kafka and Redis): what the Java client
// writes in Tokyo it reads in Virginia.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteGateway, type SuiteGateway } from '../../../../scripts/aerospike-suite/gateway.js';
import { buildJavaClient, runJavaClient, type JavaClientBuild, type JavaClientRun } from '../../../../scripts/java-client.js';
import { Topology } from '../../../helpers/two-regions/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const USER = { name: 'bidder', password: 'a long passphrase' };
const rand = () => randomBytes(4).toString('hex');

let build: Promise<JavaClientBuild> | undefined;
/** One offline build for the file (mvn -o compile, a few seconds). */
const javaBuild = () => (build ??= buildJavaClient());

function stepOf(run: JavaClientRun, name: string): Record<string, unknown> {
  const line = run.steps.find((s) => s.step === name);
  assert.ok(line, `the Java client printed no "${name}" step; it printed ${JSON.stringify(run.steps)}; stderr:\n${run.stderr}`);
  return line;
}

describe('the official Java client against a gateway with service.users', { timeout: 180_000 }, () => {
  let gw: SuiteGateway;
  let hosts: string;
  let walk: JavaClientRun;

  before(async () => {
    const [jb, started] = await Promise.all([javaBuild(), startSuiteGateway(root, { users: [USER] })]);
    gw = started;
    hosts = `127.0.0.1:${gw.servicePort}`;
    walk = await runJavaClient(jb, 'walk', { hosts, user: USER.name, password: USER.password, ns: 'test', set: 'java', prefix: rand() });
  });
  after(async () => {
    await gw?.stop();
  });

  it('logs in, finds the node and maps all 4096 partitions of the namespace to it', () => {
    assert.equal(walk.code, 0, `exit ${walk.code}; steps ${JSON.stringify(walk.steps)}; stderr:\n${walk.stderr}`);
    const cluster = stepOf(walk, 'cluster') as { nodes: Array<{ name: string; host: string }>; partitionsMapped: number };
    assert.equal(cluster.nodes.length, 1);
    assert.match(cluster.nodes[0]!.name, /^[0-9A-F]{12}$/);
    assert.equal(cluster.nodes[0]!.host, `127.0.0.1 ${gw.servicePort}`);
    assert.equal(cluster.partitionsMapped, 4096);
  });

  it('put, get, select, exists and durable delete', () => {
    assert.deepEqual(stepOf(walk, 'get'), { step: 'get', bins: { name: 'Ada', age: 36, tags: ['a', 'b'], prefs: { lang: 'en' } }, generation: 1 });
    assert.deepEqual(stepOf(walk, 'select'), { step: 'select', bins: { name: 'Ada', age: 36 } });
    assert.deepEqual(stepOf(walk, 'exists'), { step: 'exists', present: true, absent: false });
    assert.deepEqual(stepOf(walk, 'delete'), { step: 'delete', deleted: true, existsAfter: false, deletedAgain: false });
  });

  it('operate: add, append, list append and map put in one command, answered per operation', () => {
    // The client asks for every op's result (a CDT write is among them): add and append answer null, the list and map their sizes.
    assert.deepEqual(stepOf(walk, 'operate'), { step: 'operate', bins: { age: [null, 37], name: [null, 'Ada Lovelace'], tags: 3, prefs: 2 }, generation: 2 });
    assert.deepEqual(stepOf(walk, 'operate-read'), {
      step: 'operate-read',
      bins: { tags: 3, prefs: 'dark' },
      record: { name: 'Ada Lovelace', age: 37, tags: ['a', 'b', 'c'], prefs: { lang: 'en', theme: 'dark' } },
    });
  });

  it('batch get and batch exists, a missing key answered null / false in place', () => {
    assert.deepEqual(stepOf(walk, 'batch'), { step: 'batch', rows: [{ n: 0 }, { n: 1 }, { n: 2 }, null], existsRows: [true, true, true, false] });
  });

  it('a secondary index built through the client answers equality and range queries; a scan sees the set', () => {
    assert.equal(stepOf(walk, 'index').complete, true);
    assert.deepEqual(stepOf(walk, 'query-equal').i, [3]);
    assert.deepEqual(stepOf(walk, 'query-range').i, [2, 3, 4, 5]);
    assert.deepEqual(stepOf(walk, 'scan').i, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('touch bumps the generation and sets the TTL, bins unchanged', () => {
    const touch = stepOf(walk, 'touch') as { generation: number; ttl: number; bins: unknown };
    assert.equal(touch.generation, 2);
    assert.ok(touch.ttl > 3590 && touch.ttl <= 3600, `ttl ${touch.ttl}`);
    assert.deepEqual(touch.bins, { v: 1 });
  });

  it('a generation mismatch is refused with GENERATION (3), a create-only put on an existing record with KEY_EXISTS (5), the record untouched', () => {
    assert.deepEqual(stepOf(walk, 'generation'), { step: 'generation', refused: true, resultCode: 3 });
    assert.deepEqual(stepOf(walk, 'create-only'), { step: 'create-only', refused: true, resultCode: 5 });
    assert.deepEqual(stepOf(walk, 'after-refusals').bins, { age: 37 });
  });

  it('a wrong password fails the connect with INVALID_CREDENTIAL (65); no login at all is refused too', async () => {
    const jb = await javaBuild();
    const wrong = await runJavaClient(jb, 'walk', { hosts, user: USER.name, password: 'not it', prefix: rand() });
    assert.equal(wrong.code, 2);
    assert.match(String(stepOf(wrong, 'error').message), /Error 65: Login failed/);
    const anonymous = await runJavaClient(jb, 'walk', { hosts, prefix: rand() });
    assert.equal(anonymous.code, 2);
    assert.equal(stepOf(anonymous, 'error').resultCode, -8); // SERVER_NOT_AVAILABLE: the node answered no info before login
    assert.equal(anonymous.steps.length, 1);
  });
});

describe('the official Java client across two regions', { timeout: 600_000 }, () => {
  const cleanups: Array<() => unknown> = [];
  const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
  let topo: Topology;

  before(async () => {
    const [, created] = await Promise.all([javaBuild(), Topology.create(scope)]);
    topo = created;
    await topo.startBoth();
  });
  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('writes in Tokyo are read in Virginia', async () => {
    const jb = await javaBuild();
    const common = { ns: 'user_data', set: 'profiles', prefix: `java-${rand()}` };
    const wrote = await runJavaClient(jb, 'write', { hosts: `127.0.0.1:${topo.a.servicePort}`, ...common });
    assert.equal(wrote.code, 0, wrote.stderr);
    assert.deepEqual(stepOf(wrote, 'write'), { step: 'write', bins: { name: 'Grace', visits: 3, cities: ['tokyo', 'osaka'] }, generation: 2 });
    // The reader polls (bounded) until the second write has arrived.
    const read = await runJavaClient(jb, 'read', { hosts: `127.0.0.1:${topo.b.servicePort}`, ...common, 'wait-ms': '30000' });
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(stepOf(read, 'read').bins, { name: 'Grace', visits: 3, cities: ['tokyo', 'osaka'] });
  });
});

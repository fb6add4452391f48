import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../../xdr/config/index.js';
import { mapConfNamespaces, parseAerospikeConf } from '../../../xdr/config/aerospike-conf/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (name: string) => path.join(root, 'test/fixtures/aerospike-conf', name);

function yamlFor(confPath: string, extra = ''): string {
  return `
region: { name: tokyo, id: 1 }
data-dir: /var/lib/xdrgate
namespaces-from: ${confPath}
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:9093"] } }
${extra}`;
}

/** Writes a YAML next to the conf text and loads it; returns the config or the ConfigError. */
function load(confText: string, extra = ''): ReturnType<typeof loadConfig> | ConfigError {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-conf-'));
  try {
    writeFileSync(path.join(dir, 'aerospike.conf'), confText);
    writeFileSync(path.join(dir, 'region.yaml'), yamlFor('aerospike.conf', extra));
    return loadConfig(path.join(dir, 'region.yaml'), { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function problemsAt(result: unknown): Array<[string, string]> {
  assert.ok(result instanceof ConfigError, 'expected a ConfigError');
  return result.problems.map((p) => [p.path.replace(/^.*aerospike\.conf:/, ''), p.message]);
}

test("the seed's namespace stanzas parse into a tree with line and column on every node", () => {
  const tree = parseAerospikeConf(readFileSync(fixture('seed-namespaces.conf'), 'utf8'), 'seed.conf');
  assert.deepEqual(tree.items.map((i) => [i.kind, i.name, i.line]), [['stanza', 'namespace', 2], ['stanza', 'namespace', 12]]);
  const users = tree.items[0]!;
  assert.ok(users.kind === 'stanza');
  assert.deepEqual(users.args, ['users']);
  const engine = users.items[2]!;
  assert.ok(engine.kind === 'stanza');
  assert.deepEqual([engine.name, engine.args, engine.line], ['storage-engine', ['device'], 5]);
  assert.deepEqual(engine.items.map((s) => (s.kind === 'setting' ? [s.name, s.values, s.line] : null)), [
    ['device', ['/dev/nvme0n1'], 6],
    ['write-block-size', ['128K'], 7],
    ['data-in-memory', ['false'], 8],
    ['direct-io', ['true'], 9],
  ]);
  const sessions = tree.items[1]!;
  assert.ok(sessions.kind === 'stanza');
  assert.deepEqual(sessions.items.map((s) => [s.kind, s.name, s.line]), [['setting', 'replication-factor', 13], ['setting', 'memory-size', 14], ['setting', 'storage-engine', 15]]);
});

test("the seed's namespace stanzas as pasted: each setting without a meaning here is reported at its line with what to do", () => {
  const problems = problemsAt(load(readFileSync(fixture('seed-namespaces.conf'), 'utf8')));
  assert.equal((load(readFileSync(fixture('seed-namespaces.conf'), 'utf8')) as ConfigError).code, 'CONFIG_ERR_AEROSPIKE_CONF_UNSUPPORTED');
  assert.deepEqual(problems.map(([at]) => at), ['3:1 replication-factor', '6:1 device', '13:1 replication-factor']);
  assert.match(problems[0]![1], /a region is one node.*remove it/);
  assert.match(problems[1]![1], /write `file <path>`/);
});

test("the seed's namespaces load once replication-factor and raw devices are fixed, with units converted", () => {
  const text = readFileSync(fixture('seed-namespaces.conf'), 'utf8').replace(/replication-factor 2/g, 'replication-factor 1').replace('device /dev/nvme0n1', 'file users-0.dat\nfilesize 1G');
  const config = load(text, 'routes:\n  - { name: s, source: tokyo, destination: virginia, namespace: sessions }');
  assert.ok(!(config instanceof ConfigError), String(config));
  const users = config.namespaces.find((n) => n.name === 'users')!;
  assert.equal(users.memorySizeBytes, 8 * 1024 ** 3);
  assert.equal(users.highWaterMemoryPct, 60);
  assert.ok(users.storage.engine === 'device');
  assert.deepEqual(users.storage.devices, ['/var/lib/xdrgate/users/users-0.dat']);
  assert.equal(users.storage.writeBlockSizeBytes, 128 * 1024);
  assert.equal(users.storage.directIo, true);
  const sessions = config.namespaces.find((n) => n.name === 'sessions')!;
  assert.equal(sessions.storage.engine, 'memory');
  assert.equal(sessions.memorySizeBytes, 32 * 1024 ** 3);
  assert.ok(config.origin.aerospikeConf?.file.endsWith('aerospike.conf'));
  assert.deepEqual(config.origin.aerospikeConf?.namespaces, ['users', 'sessions']);
});

test("the seed's production baseline: service and network are not read (and said so), the namespace maps every unit", () => {
  const text = readFileSync(fixture('seed-production.conf'), 'utf8');
  const problems = problemsAt(load(text));
  assert.deepEqual(problems.map(([at]) => at), ['27:1 replication-factor', '32:1 device', '33:1 device']);
  const fixed = text.replace('replication-factor 2', 'replication-factor 1').replace('device /dev/nvme0n1', 'file a.dat').replace('device /dev/nvme1n1 # stripe across multiple NVMe devices', 'file b.dat');
  const config = load(fixed);
  assert.ok(!(config instanceof ConfigError), String(config));
  const ns = config.namespaces[0]!;
  assert.equal(ns.name, 'user_data');
  assert.equal(ns.defaultTtlSec, 30 * 86_400);
  assert.equal(ns.nsupPeriodSec, 120);
  assert.equal(ns.memorySizeBytes, 16 * 1024 ** 3);
  assert.ok(ns.storage.engine === 'device');
  assert.equal(ns.storage.postWriteQueue, 256);
  assert.equal(ns.storage.devices.length, 2);
  assert.deepEqual(config.origin.aerospikeConf?.notRead.map((s) => s.replace(/\(.*aerospike\.conf:/, '(')), [
    'service (2:1): not read here; its job lives in the gateway process (YAML service: for the client port)',
    'network (7:1): not read here; its job lives in YAML listen and service',
  ]);
});

test('a value the YAML checks refuse is reported at its aerospike.conf line', () => {
  const typed = problemsAt(load('namespace a {\n  storage-engine device {\n    direct-io maybe\n  }\n}\n'));
  assert.equal(typed[0]![0].split(' ')[0], '3:5');
  assert.match(typed[0]![1], /boolean/);
  const problems = problemsAt(load('namespace a {\n  memory-size 12Q\n  stop-writes-pct 50\n  storage-engine device {\n    write-block-size 100K\n  }\n}\n'));
  const at = Object.fromEntries(problems.map(([where, message]) => [where.split(' ')[0], message]));
  assert.match(at['2:3']!, /not a size/);
  assert.match(at['5:5']!, /power of two/);
  assert.match(at['3:3']!, /above high-water-disk-pct \(80\)/);
  const budget = problemsAt(load('namespace a {\n  memory-size 1G\n  stop-writes-pct 50\n  high-water-disk-pct 40\n  storage-engine device\n}\n'));
  assert.match(budget.find(([where]) => where.startsWith('3:3'))![1], /above high-water-memory-pct \(60\)/);
});

test('data-in-memory true, unknown settings and stanzas are refused with what to do instead', () => {
  const problems = problemsAt(load('namespace a {\n  strong-consistency true\n  set s {\n  }\n  storage-engine device {\n    data-in-memory true\n    frobnicate 3\n  }\n}\n'));
  assert.deepEqual(problems.map(([at]) => at.split(' ').slice(0, 2).join(' ')), ['2:3 strong-consistency', '3:3 set', '6:5 data-in-memory', '7:5 frobnicate']);
  assert.match(problems[2]![1], /storage-engine memory/);
});

test('syntax errors name file:line:column', () => {
  const cases: Array<[string, RegExp]> = [
    ['namespace a {\n  memory-size 1G\n', /x\.conf:1:1: stanza 'namespace a' is never closed/],
    ['}\n', /x\.conf:1:1: '\}' closes no stanza/],
    ['namespace a\n{\n}\n', /x\.conf:2:1: '\{' must follow/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(() => parseAerospikeConf(text, 'x.conf'), (err: unknown) => err instanceof ConfigError && err.code === 'CONFIG_ERR_AEROSPIKE_CONF_SYNTAX' && expected.test(err.message));
  }
});

test('a namespace both in the YAML and in the aerospike.conf is refused', () => {
  const problems = problemsAt(load('namespace a {\n  storage-engine device\n}\n', 'namespaces:\n  a: { storage: { engine: device } }'));
  assert.equal(problems[0]![0], 'namespaces.a');
  assert.match(problems[0]![1], /also defined in .*aerospike\.conf \(.*:1:1\)/);
});

test('a file without namespace stanzas is refused', () => {
  const out = mapConfNamespaces(parseAerospikeConf('service {\n}\n', 'y.conf'), 'y.conf');
  assert.deepEqual(out.problems.map((p) => p.path), ['y.conf:1:1']);
});

test('the shipped config/aerospike.conf.example loads', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-conf-'));
  try {
    writeFileSync(path.join(dir, 'region.yaml'), yamlFor(path.join(root, 'config/aerospike.conf.example'), 'routes:\n  - { name: s, source: tokyo, destination: virginia, namespace: sessions }'));
    const config = loadConfig(path.join(dir, 'region.yaml'), { env: {} });
    assert.deepEqual(config.namespaces.map((n) => [n.name, n.storage.engine, n.memorySizeBytes]), [['user_data', 'device', 64 * 1024 ** 2], ['sessions', 'memory', 128 * 1024 ** 2]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

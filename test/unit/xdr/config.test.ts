import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, parseConfig, parseDurationMs, parseSizeBytes } from '../../../xdr/config/index.js';
import { MINIMAL_CONFIG } from './minimal-config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const noEnv = {};

const minimal = MINIMAL_CONFIG;

function problemsOf(text: string, env: Record<string, string> = {}): Array<{ path: string; message: string }> {
  try {
    parseConfig(text, { env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

test('sizes and durations are read the way aerospike.conf writes them', () => {
  assert.equal(parseSizeBytes('128K'), 131072);
  assert.equal(parseSizeBytes('4G'), 4 * 1024 ** 3);
  assert.equal(parseSizeBytes('8m'), 8 * 1024 ** 2);
  assert.equal(parseSizeBytes(4096), 4096);
  assert.equal(parseSizeBytes('12Q'), null);
  assert.equal(parseDurationMs('30D'), 30 * 86_400_000);
  assert.equal(parseDurationMs('120s'), 120_000);
  assert.equal(parseDurationMs(120), 120_000);
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('soon'), null);
});

test('the shipped Tokyo and Virginia configs load, with defaults filled and frozen', () => {
  for (const [file, name, id, port] of [['tokyo', 'tokyo', 1, 4100], ['virginia', 'virginia', 2, 4200]] as const) {
    const config = loadConfig(path.join(root, 'config', `${file}.yaml`), { env: noEnv });
    assert.deepEqual(config.region, { name, id });
    assert.equal(config.listen.host, '127.0.0.1');
    assert.equal(config.listen.port, port);
    const ns = new Map(config.namespaces.map((n) => [n.name, n]));
    assert.equal(ns.get('user_data')?.storage.engine, 'device');
    assert.equal(ns.get('user_data')?.defaultTtlSec, 30 * 86400);
    assert.equal(ns.get('sessions')?.storage.engine, 'memory');
    assert.ok(config.routes.some((r) => r.source === 'tokyo' && r.destination === 'virginia' && r.namespace === 'user_data'));
    assert.ok(config.routes.some((r) => r.source === 'virginia' && r.destination === 'tokyo' && r.namespace === 'sessions'));
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.namespaces[0]!.storage));
  }
});

test('a minimal config gets documented defaults', () => {
  const config = parseConfig(minimal, { env: noEnv });
  const ns = config.namespaces[0]!;
  assert.equal(config.listen.port, 4100);
  assert.equal(config.maxClockOffsetMs, 5000);
  assert.equal(ns.nsupPeriodSec, 120);
  assert.ok(ns.storage.engine === 'device' && ns.storage.writeBlockSizeBytes === 128 * 1024);
  assert.ok(ns.storage.engine === 'device' && ns.storage.devices[0]!.endsWith(path.join('data', 'tokyo', 'user_data', 'data-0.dat')));
  assert.deepEqual(config.routes, []);
});

test('environment variables override the file and are recorded', () => {
  const config = parseConfig(minimal, {
    env: { XDRGATE_LISTEN: '0.0.0.0:5000', XDRGATE_KAFKA_VIRGINIA: 'k1:9092, k2:9092', XDRGATE_REDIS_URL: 'redis://r:6380', XDRGATE_DATA_DIR: '/tmp/xg' },
  });
  assert.deepEqual(config.listen, { host: '0.0.0.0', port: 5000 });
  assert.deepEqual(config.regions[1]!.kafka.brokers, ['k1:9092', 'k2:9092']);
  assert.equal(config.redisUrl, 'redis://r:6380');
  assert.equal(config.dataDir, '/tmp/xg');
  assert.deepEqual([...config.origin.envOverrides].sort(), ['XDRGATE_DATA_DIR', 'XDRGATE_KAFKA_VIRGINIA', 'XDRGATE_LISTEN', 'XDRGATE_REDIS_URL']);
});

test('every schema problem is reported at once, each with its path', () => {
  const text = `
region: { name: tokyo, id: 300 }
listen: 12
colour: blue
namespaces:
  user_data:
    default-ttl: 30D
    storage: { engine: disk, write-block-size: 100K, compression: zstd }
regions:
  - { name: tokyo, id: 1, kafka: { brokers: [] } }
  - { name: virginia, kafka: { brokers: ["v:1"] } }
`;
  const problems = problemsOf(text);
  const paths = problems.map((p) => p.path);
  for (const expected of ['region.id', 'listen', 'colour', 'namespaces.user_data.storage.engine', 'namespaces.user_data.storage.compression', 'regions[0].kafka.brokers', 'regions[1].id']) {
    assert.ok(paths.includes(expected), `missing ${expected} in ${JSON.stringify(problems)}`);
  }
  assert.match(problems.find((p) => p.path === 'colour')!.message, /not a known setting.*namespaces/);
});

test('semantic problems name the path and what to fix', () => {
  const text = `
region: { name: tokyo, id: 2 }
namespaces:
  user_data:
    default-ttl: forever
    high-water-disk-pct: 90
    stop-writes-pct: 80
    storage: { engine: device, write-block-size: 100K, filesize: 64M }
  sessions:
    storage: { engine: memory, filesize: 1G }
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["t:1"] } }
  - { name: virginia, id: 1, kafka: { brokers: ["v:1"] } }
routes:
  - { name: a, source: tokyo, destination: mars, namespace: user_data }
  - { name: a, source: tokyo, destination: virginia, namespace: nope, resolver: custom }
  - { name: b, source: tokyo, destination: virginia, namespace: nope }
`;
  const problems = problemsOf(text);
  const byPath = new Map(problems.map((p) => [p.path, p.message]));
  assert.equal(byPath.get('namespaces.user_data.storage.write-block-size'), 'must be a power of two between 128K and 8M');
  assert.match(byPath.get('namespaces.user_data.default-ttl')!, /not a duration/);
  assert.match(byPath.get('namespaces.user_data.stop-writes-pct')!, /above high-water-disk-pct/);
  assert.match(byPath.get('namespaces.sessions.storage.filesize')!, /only to storage engine device/);
  assert.match(byPath.get('regions[1].id')!, /unique/);
  assert.match(byPath.get('region.id')!, /make them equal/);
  assert.match(byPath.get('routes[0].destination')!, /unknown region 'mars'/);
  assert.match(byPath.get('routes[1].namespace')!, /not configured/);
  assert.match(byPath.get('routes[1].custom-resolver-path')!, /required when resolver is custom/);
  assert.match(byPath.get('routes[1].name')!, /unique/);
  assert.match(byPath.get('routes[2].topic')!, /already the topic of routes\[1\]/);
});

test('a bad environment override is reported with the variable name', () => {
  const problems = problemsOf(minimal, { XDRGATE_KAFKA_MARS: 'm:1', XDRGATE_LOG_LEVEL: 'loud' });
  assert.ok(problems.some((p) => p.path === 'env.XDRGATE_KAFKA_MARS'));
  assert.ok(problems.some((p) => p.path === 'log-level' && /one of/.test(p.message)));
});

test('YAML syntax errors and unreadable files have their own codes', () => {
  assert.throws(() => parseConfig('region: [unclosed', { env: noEnv }), (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_ERR_YAML_SYNTAX');
  assert.throws(() => loadConfig('/nonexistent/xdrgate.yaml', { env: noEnv }), (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_ERR_FILE_UNREADABLE');
  assert.throws(() => parseConfig('- 1\n- 2\n', { env: noEnv }), (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_ERR_INVALID');
});

test('the message of an invalid config lists every problem on its own line', () => {
  try {
    parseConfig(minimal.replace('filesize: 64M', 'filesize: 64M, write-block-size: 3M'), { env: noEnv, file: 'tokyo.yaml' });
    assert.fail('expected rejection');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /tokyo\.yaml/);
    assert.match(err.message, /\n {2}namespaces\.user_data\.storage\.write-block-size: must be a power of two between 128K and 8M/);
    assert.ok(readFileSync(path.join(root, 'docs/errors.md'), 'utf8').length > 0);
  }
});

test('peers: regions[].gateway-url, XDRGATE_URL_<REGION> overrides it, and the shipped configs name each other', () => {
  for (const file of ['tokyo', 'virginia']) {
    const config = loadConfig(path.join(root, 'config', `${file}.yaml`), { env: noEnv });
    assert.deepEqual(config.regions.map((r) => [r.name, r.gatewayUrl]), [['tokyo', 'http://127.0.0.1:4100'], ['virginia', 'http://127.0.0.1:4200']]);
    assert.equal(config.antiEntropy.enabled, true);
  }
  const env = parseConfig(minimal, { env: { XDRGATE_URL_VIRGINIA: 'http://gateway-virginia:4100/', XDRGATE_URL_MARS: 'http://mars:1' } });
  assert.equal(env.regions.find((r) => r.name === 'virginia')!.gatewayUrl, 'http://gateway-virginia:4100', 'trailing slash dropped');
  assert.deepEqual(env.origin.envOverrides, ['XDRGATE_URL_VIRGINIA'], 'a URL of a region not in this topology is ignored (verify reads the same variables)');
  const bad = problemsOf(minimal.replace('{ name: virginia, id: 2,', '{ name: virginia, id: 2, gateway-url: "ftp://x",'));
  assert.ok(bad.some((p) => p.path === 'regions[1].gateway-url'), JSON.stringify(bad));
});

test('anti-entropy: documented defaults, durations and limits checked', () => {
  const d = parseConfig(minimal, { env: noEnv }).antiEntropy;
  assert.deepEqual(d, {
    enabled: true, intervalMs: 600_000, firstPassDelayMs: 60_000, uncleanStartDelayMs: 5_000, settleMs: 30_000, recordsPerSec: 2000, recordsPerPass: 2_000_000,
    reshipPerPass: 100_000, digestsPerRequest: 500, concurrentRequests: 2, peerTimeoutMs: 30_000, restartRewindMarginMs: 60_000,
  });
  const set = parseConfig(`${minimal}anti-entropy: { interval: 2m, settle: 5s, records-per-sec: 500 }\n`, { env: noEnv }).antiEntropy;
  assert.equal(set.intervalMs, 120_000);
  assert.equal(set.settleMs, 5000);
  assert.equal(set.recordsPerSec, 500);
  const bad = problemsOf(`${minimal}anti-entropy: { interval: soon, records-per-sec: 0, digests-per-request: 5000, speed: 3 }\n`);
  assert.deepEqual(bad.map((p) => p.path).sort(), ['anti-entropy.digests-per-request', 'anti-entropy.records-per-sec', 'anti-entropy.speed'].sort(), JSON.stringify(bad));
});

test('alerts: the issue defaults, thresholds per deployment, every bad key reported with its path', () => {
  const d = parseConfig(minimal, { env: noEnv }).alerts;
  assert.deepEqual(
    [d.xdrLagMs, d.inQueueGrowingMs, d.heartbeatsMissed, d.deadLettersWindowMs, d.readP99Ms, d.writeP99Ms, d.memoryUsedPct, d.storageUsedPct, d.clockOffsetPct, d.disabled],
    [5000, 60_000, 3, 300_000, 5, 5, 80, 75, 80, []],
  );
  const set = parseConfig(`${minimal}alerts: { xdr-lag: 30s, read-p99: 2ms, storage-used-pct: 60, disabled: [stop_writes] }\n`, { env: noEnv }).alerts;
  assert.deepEqual([set.xdrLagMs, set.readP99Ms, set.storageUsedPct, set.disabled], [30_000, 2, 60, ['stop_writes']]);
  const bad = problemsOf(`${minimal}alerts: { memory-used-pct: 200, disabled: [lag], loud: true }\n`);
  assert.deepEqual(bad.map((p) => p.path).sort(), ['alerts.disabled[0]', 'alerts.loud', 'alerts.memory-used-pct'], JSON.stringify(bad));
  const units = problemsOf(`${minimal}alerts: { xdr-lag: soon, in-queue-growing: 2h }\n`);
  assert.deepEqual(units.map((p) => p.path).sort(), ['alerts.in-queue-growing', 'alerts.xdr-lag'], JSON.stringify(units));
});

// /metrics' latency histograms: the service port per command, HTTP per method
// and route, the engine per operation, as Prometheus histograms whose buckets
// double from 2^16 ns to 2^33 ns, read at scrape time from the histograms
// their owners keep (nothing observed twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpServer } from '../../../xdr/http/index.js';
import { ServiceStats } from '../../../xdr/aerospike/stats.js';
import { BUCKET_LE, createGatewayMetrics, type StatsSource } from '../../../xdr/metrics/index.js';
import { OpsStats } from '../../../engine/stats/index.js';
import type { NamespaceStatsSnapshot } from '../../../engine/index.js';
import { memoryEngine } from '../../helpers/memory-engine.js';
import { testHttpDeps } from './http-deps.js';

/** Every sample line of `name` whose labels contain `labels`, as [labels text, value]. */
function samples(text: string, name: string, labels = ''): Array<[string, number]> {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .map((l) => [l.slice(name.length, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]);
}

test('bucket bounds: 18 powers of two in seconds, 65.5 µs to 8.6 s', () => {
  assert.equal(BUCKET_LE.length, 18);
  assert.equal(BUCKET_LE[0], '0.000065536');
  assert.equal(BUCKET_LE[4], '0.001048576');
  assert.equal(BUCKET_LE.at(-1), '8.589934592');
});

test('service, HTTP and engine latencies render as cumulative histograms with +Inf, _sum and _count', async (t) => {
  const service = new ServiceStats();
  const now = performance.now();
  // ServiceStats.record measures from `startedMs` to now: 0.1 ms, 3 ms and 3 ms ago.
  service.record('read', 0, now - 0.1);
  service.record('read', 2, now - 3);
  service.record('write', 0, now - 3);

  const engine = await memoryEngine(t);
  const { app, latency } = await buildHttpServer(testHttpDeps(engine), { docs: false });
  t.after(() => app.close());
  for (const key of ['a', 'b']) assert.equal((await app.inject({ method: 'PUT', url: `/v1/records/user_data/profiles/${key}`, payload: { bins: { n: 1 } } })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/records/user_data/profiles/a' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);

  const ops = new OpsStats();
  ops.record('read', 'success', 50_000); // 50 µs: in every bucket
  ops.record('read', 'success', 2e9); // 2 s: from le=2.147483648 on
  const namespace = { ns: 'user_data', storage_engine: 'memory', ...ops.snapshot() } as unknown as NamespaceStatsSnapshot;

  const source: StatsSource = {
    region: 'tokyo',
    replication: () => ({ ship: [], receive: [] }),
    namespaces: () => [namespace],
    http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
    httpLatency: () => latency.rows(),
    service: () => service.snapshot(),
  };
  const text = await createGatewayMetrics(source, { processMetrics: false, hostMemoryBytes: 1 }).render();
  assert.match(text, /# TYPE xdrgate_service_request_duration_seconds histogram/);

  const read = samples(text, 'xdrgate_service_request_duration_seconds_bucket', 'command="read"');
  assert.equal(read.length, 19); // 18 bounds and +Inf
  // Both reads took at least 0.1 ms (above the first bound, 65.5 µs) and far less than 8.6 s; counts only grow.
  assert.equal(read[0]![1], 0);
  assert.ok(read[0]![0].includes('le="0.000065536"'));
  assert.ok(read.every(([, v], i) => i === 0 || v >= read[i - 1]![1]));
  assert.equal(samples(text, 'xdrgate_service_request_duration_seconds_bucket', 'command="read",le="8.589934592"')[0]![1], 2);
  assert.equal(samples(text, 'xdrgate_service_request_duration_seconds_bucket', 'command="read",le="+Inf"')[0]![1], 2);
  assert.equal(samples(text, 'xdrgate_service_request_duration_seconds_count', 'command="read"')[0]![1], 2);
  const sum = samples(text, 'xdrgate_service_request_duration_seconds_sum', 'command="read"')[0]![1];
  assert.ok(sum >= 0.0031 && sum < 0.1, `sum ${sum}`);
  // Commands never received have no series.
  assert.deepEqual(samples(text, 'xdrgate_service_request_duration_seconds_count', 'command="scan"'), []);

  assert.equal(samples(text, 'xdrgate_http_request_duration_seconds_count', 'method="PUT",route="/v1/records/:ns/:set/:key"')[0]![1], 2);
  assert.equal(samples(text, 'xdrgate_http_request_duration_seconds_count', 'method="GET",route="/v1/records/:ns/:set/:key"')[0]![1], 1);
  assert.equal(samples(text, 'xdrgate_http_request_duration_seconds_count', 'method="GET",route="unmatched"')[0]![1], 1);

  const engineRead = samples(text, 'xdrgate_namespace_op_duration_seconds_bucket', 'op="read"');
  assert.equal(engineRead.length, 19);
  assert.ok(engineRead.every(([labels]) => labels.includes('ns="user_data"')));
  assert.deepEqual(engineRead.map(([, v]) => v), [...Array(15).fill(1), 2, 2, 2, 2]); // 2 s is below 2^31 ns = 2.147 s
  assert.equal(samples(text, 'xdrgate_namespace_op_duration_seconds_sum', 'op="read"')[0]![1], 2.00005);
  assert.deepEqual(samples(text, 'xdrgate_namespace_op_duration_seconds_count', 'op="write"'), []);
});

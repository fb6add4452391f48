// The Aerospike service port in telemetry samples: what the dashboard and
// `xdrgate lag` read from Redis, beside the HTTP figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultCode } from '../../../aerospike-protocol/index.js';
import { ServiceStats } from '../../../xdr/aerospike/index.js';
import type { StatsSource } from '../../../xdr/metrics/index.js';
import { buildSample, parseSample } from '../../../xdr/telemetry/index.js';

const base: StatsSource = {
  region: 'tokyo',
  replication: () => ({ ship: [], receive: [] }),
  namespaces: () => [],
  http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
};

test('a gateway with a service port samples its requests per command, errors by result code, latency and connections', () => {
  const stats = new ServiceStats();
  const started = performance.now();
  stats.record('write', ResultCode.OK, started);
  stats.record('read', ResultCode.OK, started);
  stats.record('read', ResultCode.NOT_FOUND, started);
  stats.record('admin', ResultCode.INVALID_CREDENTIAL, started);
  stats.connectionsOpen = 3;
  stats.connectionsRefused = 1;
  const s = buildSample({ ...base, service: () => stats.snapshot() }, 1000);
  assert.deepEqual(Object.keys(s.service!.commands).sort(), ['admin', 'read', 'write'], 'only commands received');
  assert.equal(s.service!.commands.read!.requests, 2);
  assert.equal(s.service!.commands.read!.failed, 1);
  assert.ok(s.service!.commands.read!.p99_us >= 0);
  assert.deepEqual(s.service!.results, { NOT_FOUND: 1, INVALID_CREDENTIAL: 1 });
  assert.equal(s.service!.connections_open, 3);
  assert.equal(s.service!.connections_refused, 1);
  assert.deepEqual(parseSample(JSON.stringify(s)), s);
});

test('a gateway without a service port leaves the field out', () => {
  assert.equal('service' in buildSample(base, 1000), false);
  assert.equal('service' in buildSample({ ...base, service: () => undefined }, 1000), false);
});

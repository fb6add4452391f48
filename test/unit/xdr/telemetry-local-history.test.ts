// A gateway's own telemetry history while Redis is away: the per-second ring
// and the minute samples keep separate caps, so the 24 h window still reaches
// back further than the per-second ring holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { StatsSource } from '../../../xdr/metrics/index.js';
import { Telemetry } from '../../../xdr/telemetry/index.js';
import { waitFor } from '../../helpers/wait.js';

const source: StatsSource = {
  region: 'tokyo',
  replication: () => ({ ship: [], receive: [] }),
  namespaces: () => [],
  http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
};

test('without Redis, minute samples outlive the per-second ring: each resolution has its own cap', async (t) => {
  const t0 = Date.UTC(2026, 11, 8, 0, 0, 0);
  let calls = 0;
  // Each sample is 30 s after the last: two samples a minute, one of which is the minute's first.
  const telemetry = new Telemetry({ redisUrl: 'redis://127.0.0.1:1', regions: ['tokyo'], source, logger: pino({ level: 'silent' }), intervalMs: 50, localHistoryMax: 10, minuteStreamLengthMax: 15, nowMs: () => t0 + 30_000 * calls++ });
  t.after(() => telemetry.stop());
  telemetry.start();
  await waitFor(() => (telemetry.latest()?.ts_ms ?? 0) >= t0 + 20 * 60_000, { timeoutMs: 20_000, intervalMs: 20, what: '20 minutes of samples' });
  const seconds = await telemetry.history(0, 3600, 'second');
  const minutes = await telemetry.history(0, 3600, 'minute');
  assert.equal(seconds.from, 'local');
  assert.equal(minutes.from, 'local');
  assert.equal(seconds.regions.tokyo!.length, 10, 'the per-second ring: its cap (5 minutes here)');
  const m = minutes.regions.tokyo!;
  assert.equal(m.length, 15, 'the minute samples: their own cap, 15 minutes back');
  assert.ok(m[0]!.ts_ms < seconds.regions.tokyo![0]!.ts_ms - 5 * 60_000, 'minute samples reach further back than the per-second ring');
  for (let i = 1; i < m.length; i++) assert.equal(m[i]!.ts_ms - m[i - 1]!.ts_ms, 60_000, 'one sample a minute, the first of each');
});

// The Grafana dashboard in the repo queries only metrics /metrics exports: a
// renamed family must not leave a panel silently empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_FAMILIES, HISTOGRAM_FAMILIES } from '../../../xdr/metrics/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('every metric the Grafana dashboard queries is exported', async () => {
  const dash = JSON.parse(await readFile(path.join(root, 'dashboards/grafana-xdrgate.json'), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  const exported = new Set(ALL_FAMILIES.map((f) => f.name));
  // The summary and Node's process metrics are registered outside the family table.
  for (const extra of ['xdrgate_xdr_replication_lag_seconds', 'xdrgate_process_cpu_seconds_total', 'xdrgate_nodejs_eventloop_lag_p99_seconds']) exported.add(extra);
  // So are the latency histograms, queried through their series (_bucket, _sum, _count).
  for (const h of HISTOGRAM_FAMILIES) for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${h.name}${suffix}`);
  const queried = new Set<string>();
  for (const panel of dash.panels) for (const t of panel.targets ?? []) for (const m of t.expr.matchAll(/\bxdrgate_[a-z0-9_]+/g)) queried.add(m[0]);
  assert.ok(queried.size >= 30, `the dashboard covers the figures (${queried.size} metrics)`);
  const unknown = [...queried].filter((name) => !exported.has(name));
  assert.deepEqual(unknown, [], `panels query metrics that /metrics does not export: ${unknown.join(', ')}`);
  for (const name of ['xdrgate_xdr_lag_seconds', 'xdrgate_xdr_in_queue', 'xdrgate_xdr_recv_conflicts_won', 'xdrgate_xdr_recv_dead_lettered', 'xdrgate_namespace_client_read_success']) {
    assert.ok(queried.has(name), `the dashboard shows ${name}`);
  }
});

test('the dashboard has a latency heatmap and P99 panels from the histograms', async () => {
  const dash = JSON.parse(await readFile(path.join(root, 'dashboards/grafana-xdrgate.json'), 'utf8')) as { panels: Array<{ type: string; targets?: Array<{ expr: string; format?: string }> }> };
  const heatmap = dash.panels.find((p) => p.type === 'heatmap');
  assert.ok(heatmap, 'a heatmap panel');
  assert.equal(heatmap.targets?.[0]?.format, 'heatmap');
  assert.match(heatmap.targets![0]!.expr, /xdrgate_service_request_duration_seconds_bucket/);
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  for (const h of HISTOGRAM_FAMILIES) {
    assert.ok(exprs.some((e) => e.startsWith('histogram_quantile(0.99') && e.includes(`${h.name}_bucket`)), `a P99 panel for ${h.name}`);
  }
});

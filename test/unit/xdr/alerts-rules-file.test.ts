// dashboards/alerts.yml, the Prometheus alerting rules shipped beside the
// gateway's own evaluation: one rule per gateway rule, with the same severity
// and default threshold, querying only exported metrics, in the rule-file
// schema Prometheus loads; and `promtool check rules` passes on it wherever
// Debian's prometheus package (which ships promtool) is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ALERT_DEFAULTS, ALERT_RULES, RULE_INFO } from '../../../xdr/alerts/index.js';
import { ALL_FAMILIES } from '../../../xdr/metrics/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(root, 'dashboards/alerts.yml');

interface RuleDoc {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** The default threshold each rule's expression must carry, as PromQL writes it. */
const DEFAULT_IN_EXPR: Record<string, string> = {
  xdr_lag: `> ${ALERT_DEFAULTS.xdrLagMs / 1000}`,
  in_queue_growing: `[${ALERT_DEFAULTS.inQueueGrowingMs / 60_000}m]`,
  heartbeats_missing: `> ${(ALERT_DEFAULTS.heartbeatsMissed * ALERT_DEFAULTS.heartbeatIntervalMs) / 1000}`,
  dead_letters: `[${ALERT_DEFAULTS.deadLettersWindowMs / 60_000}m]) > 0`,
  read_p99: `> ${ALERT_DEFAULTS.readP99Ms / 1000}`,
  write_p99: `> ${ALERT_DEFAULTS.writeP99Ms / 1000}`,
  memory_used_pct: `> ${ALERT_DEFAULTS.memoryUsedPct}`,
  storage_used_pct: `> ${ALERT_DEFAULTS.storageUsedPct}`,
  stop_writes: '== 1',
  clock_offset: 'xdrgate_alert_threshold{rule="clock_offset"}',
};

test('alerts.yml: one Prometheus rule per gateway rule, same severity and defaults, exported metrics only', async () => {
  const doc = parse(await readFile(file, 'utf8')) as { groups?: Array<{ name?: unknown; rules?: RuleDoc[] }> };
  assert.ok(Array.isArray(doc.groups) && doc.groups.length > 0, 'a rule file has groups');
  const exported = new Set(ALL_FAMILIES.map((f) => f.name));
  const seen = new Map<string, RuleDoc>();
  const groupNames = new Set<string>();
  for (const g of doc.groups) {
    assert.equal(typeof g.name, 'string');
    assert.ok(!groupNames.has(g.name as string), `group ${g.name} is unique`);
    groupNames.add(g.name as string);
    assert.deepEqual(Object.keys(g).sort(), ['name', 'rules'], `group ${g.name} has only name and rules`);
    for (const r of g.rules ?? []) {
      assert.deepEqual(Object.keys(r).filter((k) => !['alert', 'expr', 'for', 'labels', 'annotations'].includes(k)), [], `rule ${String(r.alert)} has only known keys`);
      assert.match(String(r.alert), /^Xdrgate[A-Z][A-Za-z0-9]+$/);
      assert.equal(typeof r.expr, 'string');
      if (r.for !== undefined) assert.match(String(r.for), /^[0-9]+(ms|s|m|h)$/);
      assert.equal(typeof r.annotations?.summary, 'string', `${String(r.alert)} has a summary`);
      assert.equal(typeof r.annotations?.description, 'string', `${String(r.alert)} says what to do`);
      const rule = String(r.labels?.rule);
      assert.ok((ALERT_RULES as readonly string[]).includes(rule), `${String(r.alert)} names a gateway rule (${rule})`);
      assert.ok(!seen.has(rule), `one Prometheus rule for ${rule}`);
      seen.set(rule, r);
      assert.equal(r.labels?.severity, RULE_INFO[rule as keyof typeof RULE_INFO].severity, `${rule}: same severity as the gateway's`);
      assert.ok((r.expr as string).includes(DEFAULT_IN_EXPR[rule]!), `${rule}: the expression carries the default threshold (${DEFAULT_IN_EXPR[rule]}): ${String(r.expr)}`);
      for (const m of (r.expr as string).matchAll(/\bxdrgate_[a-z0-9_]+/g)) assert.ok(exported.has(m[0]), `${rule} queries ${m[0]}, which /metrics exports`);
    }
  }
  assert.deepEqual([...seen.keys()].sort(), [...ALERT_RULES].sort(), 'every gateway rule is shipped for Prometheus');
});

test('alerts.yml passes promtool check rules where promtool is installed (Debian: apt-get install prometheus)', async (t) => {
  if (!existsSync('/usr/bin/promtool')) {
    t.diagnostic('promtool is not installed here: only the schema test above checked alerts.yml');
    return;
  }
  const { stdout } = await promisify(execFile)('/usr/bin/promtool', ['check', 'rules', file]);
  assert.match(stdout, new RegExp(`SUCCESS: ${ALERT_RULES.length} rules found`));
});

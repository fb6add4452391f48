// tombstone-grace: read from the namespace config like aerospike.conf durations,
// checked against its minimum and max-clock-offset, and handed to the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, NAMESPACE_DEFAULTS } from '../../../engine/index.js';
import { ConfigError, parseConfig } from '../../../xdr/config/index.js';
import { engineOptions } from '../../../xdr/index.js';

const config = (ns = '', top = '') => `
region: { name: tokyo, id: 1 }
${top}
namespaces:
  user_data:
    ${ns}
    durability: buffered
    storage: { engine: memory, persist: false }
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
`;

function problemAt(text: string, at: string): string {
  try {
    parseConfig(text, { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    const found = err.problems.find((p) => p.path === at);
    assert.ok(found, `no problem at ${at}: ${JSON.stringify(err.problems)}`);
    return found.message;
  }
  assert.fail('expected the configuration to be rejected');
}

test('tombstone-grace defaults to one day, the engine default', () => {
  const ns = parseConfig(config(), { env: {} }).namespaces[0]!;
  assert.equal(ns.tombstoneGraceSec, 86_400);
  assert.equal(ns.tombstoneGraceSec, NAMESPACE_DEFAULTS.tombstoneGraceSec);
});

test('tombstone-grace takes aerospike-style durations', () => {
  assert.equal(parseConfig(config('tombstone-grace: 3D'), { env: {} }).namespaces[0]!.tombstoneGraceSec, 3 * 86_400);
  assert.equal(parseConfig(config('tombstone-grace: 3600s'), { env: {} }).namespaces[0]!.tombstoneGraceSec, 3600);
  assert.equal(parseConfig(config('tombstone-grace: 7200'), { env: {} }).namespaces[0]!.tombstoneGraceSec, 7200);
});

test('tombstone-grace below the minimum, not above max-clock-offset, or not whole seconds is refused with its path', () => {
  const at = 'namespaces.user_data.tombstone-grace';
  assert.match(problemAt(config('tombstone-grace: 30s'), at), /between 60s and/);
  assert.match(problemAt(config('tombstone-grace: 2m', 'max-clock-offset: 2m'), at), /must exceed max-clock-offset \(120s\)/);
  assert.match(problemAt(config('tombstone-grace: 60500ms'), at), /whole number of seconds/);
  assert.match(problemAt(config('tombstone-grace: soon'), at), /not a duration/);
  assert.equal(parseConfig(config('tombstone-grace: 121s', 'max-clock-offset: 2m'), { env: {} }).namespaces[0]!.tombstoneGraceSec, 121);
});

test('the engine receives the configured tombstone-grace', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `xdr-grace-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const parsed = parseConfig(config('tombstone-grace: 2h', `data-dir: ${dir}`), { env: {} });
  assert.equal(engineOptions(parsed).namespaces[0]!.tombstoneGraceSec, 7200);
  const engine = await Engine.open(engineOptions(parsed));
  t.after(() => engine.close());
  assert.equal(engine.namespace('user_data').options.tombstoneGraceSec, 7200);
});

// Fuzzing the config loader: random text, random documents and random
// mutations of the shipped configs either load (frozen) or fail with one
// ConfigError whose problems each name a path and say what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { isConfigError, parseConfig } from '../../../xdr/config/index.js';
import { fuzzAssert } from '../../helpers/fuzz.js';

const shipped = readFileSync(path.join(import.meta.dirname, '../../../config/tokyo.yaml'), 'utf8');
const base = parse(shipped) as Record<string, unknown>;

function loadOrTypedError(text: string, env: Record<string, string> = {}): void {
  let config;
  try {
    config = parseConfig(text, { file: 'fuzz.yaml', env });
  } catch (err) {
    assert.ok(isConfigError(err), `not a ConfigError: ${(err as Error)?.stack ?? String(err)}\n--- input ---\n${text.slice(0, 800)}`);
    const problems = err.details.problems;
    if (err.code === 'CONFIG_ERR_INVALID') assert.ok(problems.length > 0, 'an invalid config lists its problems');
    for (const p of problems) {
      assert.equal(typeof p.path, 'string');
      assert.ok(p.message.length > 0, `problem at ${p.path} without a message`);
    }
    return;
  }
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.namespaces), 'a loaded config is frozen');
}

/** A leaf path of the shipped document, picked by index. */
function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value !== null && typeof value === 'object') {
    const out: Array<Array<string | number>> = [prefix];
    for (const [k, v] of Object.entries(value)) out.push(...leafPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k]));
    return out;
  }
  return [prefix];
}
const paths = leafPaths(base).filter((p) => p.length > 0);

function setAt(doc: unknown, p: Array<string | number>, value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of p.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = p[p.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

test('random text: loads or fails with a ConfigError', async (t) => {
  await fuzzAssert(t, fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '---', '[]', '!!binary x', 'a: &a [*a]', '*!', 'region: *nope', `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [${'*a,'.repeat(9)}*a]\nc: &c [${'*b,'.repeat(9)}*b]\nd: [${'*c,'.repeat(200)}*c]`, 'x: 1\nx: 2', `${shipped}\n  bad indent`)), (text) => loadOrTypedError(text)), { numRunsDefault: 300 });
});

test('random documents: loads or fails with a ConfigError', async (t) => {
  await fuzzAssert(t, fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => loadOrTypedError(stringify(doc))), { numRunsDefault: 300 });
});

test('the shipped config with random leaves replaced or removed: loads or names every problem by path', async (t) => {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('128K', '3M', '0', '-1', '30D', 'abc', 99999999999, -1, 0, 1.5, '', null, true, '127.0.0.1:99999', 'redis://x', 'user_data'));
  await fuzzAssert(
    t,
    fc.property(fc.array(fc.tuple(fc.nat({ max: paths.length - 1 }), value, fc.boolean()), { minLength: 1, maxLength: 4 }), (edits) => {
      let doc: unknown = base;
      for (const [i, v, remove] of edits) {
        try {
          doc = setAt(doc, paths[i]!, v, remove);
        } catch {
          // An earlier edit replaced a parent with a scalar: skip this one.
        }
      }
      loadOrTypedError(stringify(doc));
    }),
    { numRunsDefault: 300 },
  );
});

test('random environment overrides: load or fail with a ConfigError naming the variable', async (t) => {
  const names = fc.constantFrom('XDRGATE_LISTEN', 'XDRGATE_SERVICE', 'XDRGATE_DATA_DIR', 'XDRGATE_REDIS_URL', 'XDRGATE_REDIS_PREFIX', 'XDRGATE_AUTH_TOKEN', 'XDRGATE_LOG_LEVEL', 'XDRGATE_MAX_CLOCK_OFFSET', 'XDRGATE_KAFKA_TOKYO', 'XDRGATE_KAFKA_MARS');
  await fuzzAssert(t, fc.property(fc.dictionary(names, fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '0.0.0.0:1', 'a,b,,c', '5s', 'verbose'))), (env) => loadOrTypedError(shipped, env)), { numRunsDefault: 300 });
});

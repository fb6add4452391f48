// Fuzzing the aerospike.conf reader: random text, random token soups and random
// mutations of the seed's stanzas and the shipped example either load or fail
// with a ConfigError whose problems each name a file:line:column and say what to do.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { isConfigError, loadConfig } from '../../../xdr/config/index.js';
import { mapConfNamespaces, parseAerospikeConf } from '../../../xdr/config/aerospike-conf/index.js';

const RUNS = Number(process.env.XDRGATE_FUZZ_RUNS ?? 300);
const root = path.join(import.meta.dirname, '../../..');
const seeds = [
  readFileSync(path.join(root, 'test/fixtures/aerospike-conf/seed-namespaces.conf'), 'utf8'),
  readFileSync(path.join(root, 'test/fixtures/aerospike-conf/seed-production.conf'), 'utf8'),
  readFileSync(path.join(root, 'config/aerospike.conf.example'), 'utf8'),
];
const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-conf-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'region.yaml'), `
region: { name: tokyo, id: 1 }
data-dir: ${dir}
namespaces-from: fuzz.conf
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:9093"] } }
`);

function typedOnly(fn: () => void, input: string): void {
  try {
    fn();
  } catch (err) {
    assert.ok(isConfigError(err), `not a ConfigError: ${(err as Error)?.stack ?? String(err)}\n--- input ---\n${input.slice(0, 800)}`);
    assert.ok(err.code.startsWith('CONFIG_ERR_'));
    for (const p of err.details.problems) {
      assert.ok(p.message.length > 0, `problem at ${p.path} without a message`);
      if (err.code !== 'CONFIG_ERR_INVALID') assert.match(p.path, /:\d+:\d+/, 'a problem of the aerospike.conf names its line and column');
    }
  }
}

function parseAndMap(text: string): void {
  typedOnly(() => {
    const out = mapConfNamespaces(parseAerospikeConf(text, 'fuzz.conf'), 'fuzz.conf');
    for (const p of out.problems) assert.match(p.path, /^fuzz\.conf:\d+:\d+/);
  }, text);
}

function loadWith(text: string): void {
  writeFileSync(path.join(dir, 'fuzz.conf'), text);
  typedOnly(() => void loadConfig(path.join(dir, 'region.yaml'), { env: {} }), text);
}

const word = fc.constantFrom('namespace', 'users', '{', '}', '#', 'storage-engine', 'device', 'memory', 'file', 'memory-size', '8G', '12Q', 'direct-io', 'true',
  'false', 'post-write-queue', '256', 'write-block-size', '128K', 'default-ttl', '30D', 'replication-factor', '1', 'set', 'xdr', 'dc', '\n', ' ', '\t', 'data-in-memory', '-1', '99999999999999999999');

test('random text never crashes the parser or the mapper', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), parseAndMap), { numRuns: RUNS });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parseAndMap), { numRuns: RUNS });
});

test('token soups never crash the parser or the mapper', () => {
  fc.assert(fc.property(fc.array(word, { maxLength: 120 }), (words) => parseAndMap(words.join(' '))), { numRuns: RUNS * 3 });
});

test('mutations of the seed stanzas and the shipped example load or fail typed, through the YAML', () => {
  const mutation = fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    edits: fc.array(fc.record({ line: fc.nat(), kind: fc.constantFrom('drop', 'dup', 'replace'), with: fc.array(word, { maxLength: 4 }) }), { maxLength: 4 }),
  });
  fc.assert(fc.property(mutation, ({ seed, edits }) => {
    const lines = seeds[seed]!.split('\n');
    for (const e of edits) {
      const i = e.line % lines.length;
      if (e.kind === 'drop') lines.splice(i, 1);
      else if (e.kind === 'dup') lines.splice(i, 0, lines[i]!);
      else lines[i] = e.with.join(' ');
    }
    loadWith(lines.join('\n'));
  }), { numRuns: RUNS });
});

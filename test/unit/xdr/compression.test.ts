// Route compression: which codecs load, what a missing one means for a config,
// and the registered kafkajs codecs round-tripping a record batch's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ConfigError, parseConfig } from '../../../xdr/config/index.js';
import { CODEC_PACKAGES, availableCompressions, codecStatuses, registerCompressionCodecs, type PackageLoader } from '../../../xdr/replication/index.js';
import { MINIMAL_CONFIG } from './minimal-config.js';

const config = (compression: string, source = 'tokyo') => `${MINIMAL_CONFIG}routes:
  - { name: wan, source: ${source}, destination: ${source === 'tokyo' ? 'virginia' : 'tokyo'}, namespace: user_data, compression: ${compression} }
`;

const { CompressionCodecs, CompressionTypes } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

/** A loader without lz4's package, as on a platform its optional dependency did not install on. */
const withoutLz4: PackageLoader = (name) => {
  if (name === CODEC_PACKAGES.lz4) throw new Error(`Cannot find module '${name}'`);
  return {};
};

test('lz4 and zstd load here from their npm packages, next to none and gzip', () => {
  assert.deepEqual(availableCompressions(), ['none', 'gzip', 'lz4', 'zstd']);
  const missing = codecStatuses(withoutLz4).find((s) => s.compression === 'lz4')!;
  assert.equal(missing.available, false);
  assert.equal(missing.package, 'lz4-napi');
  assert.match(missing.reason!, /Cannot find module 'lz4-napi'/);
});

test('a route compressing with a codec that does not load is a configuration error naming the package', () => {
  const codecs = codecStatuses(withoutLz4);
  let caught: unknown;
  try {
    parseConfig(config('lz4'), { env: {}, codecs });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, String(caught));
  assert.equal(caught.code, 'CONFIG_ERR_INVALID');
  const problem = caught.problems.find((p) => p.path === 'routes[0].compression');
  assert.ok(problem, JSON.stringify(caught.problems));
  assert.match(problem.message, /lz4 needs the npm package lz4-napi, which does not load here .*npm install lz4-napi.*none, gzip, zstd/);
  // The same codec on a route this region only receives is fine: receiving decodes with what loaded.
  assert.equal(parseConfig(config('lz4', 'virginia'), { env: {}, codecs }).routes[0]!.compression, 'lz4');
  // Codecs that load are accepted; an unknown one is refused by the schema.
  assert.equal(parseConfig(config('zstd'), { env: {}, codecs }).routes[0]!.compression, 'zstd');
  assert.throws(() => parseConfig(config('snappy'), { env: {} }), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.path.startsWith('routes[0].compression')));
});

test('the registered kafkajs codecs round-trip bytes and shrink repetitive records', async () => {
  registerCompressionCodecs();
  const profile = Buffer.from(JSON.stringify({ name: 'user-1234', plan: 'premium', last_seen: 1796680000000, feature_flags: { dark_mode: true, beta: false } }).repeat(50));
  for (const type of [CompressionTypes.GZIP, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
    const codec = (CompressionCodecs as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>)[type]!();
    const packed = await codec.compress({ buffer: profile });
    assert.ok(packed.length < profile.length / 4, `codec ${type}: ${packed.length} of ${profile.length} bytes`);
    assert.deepEqual(await codec.decompress(packed), profile);
  }
});

// Digest vectors: the expected hex values are copied from the Aerospike Go
// client's key_test.go ("Digests should be the same", aerospike-client-go v1,
// vendored in influxdata/telegraf at vendor.orig/github.com/aerospike/aerospike-client-go/key_test.go)
// and agree with the Python client's test/new_tests/test_validate_digest.py and
// the Rust client's src/key.rs tests: namespace "namespace", set "set".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { computeDigest, digestFromHex, digestHex, partitionId } from '../../../engine/digest.js';
import { isEngineError } from '../../../engine/errors.js';

const hex = (set: string, key: Parameters<typeof computeDigest>[1]) => digestHex(computeDigest(set, key));

test('integer keys hash as 8-byte big-endian two\'s complement with type byte 1', () => {
  const vectors: Array<[number | bigint, string]> = [
    [-(2n ** 63n), '7185c2a47fb02c996daed26b4e01b83240aee9d4'],
    [2n ** 63n - 1n, '1698328974afa62c8e069860c1516f780d63dbb8'],
    [-(2 ** 31), 'd635a867b755f8f54cdc6275e6fb437df82a728c'],
    [2 ** 31 - 1, 'fa8c47b8b898af1bbcb20af0d729ca68359a2645'],
    [-(2 ** 15), '7f41e9dd1f3fe3694be0430e04c8bfc7d51ec2af'],
    [2 ** 15 - 1, '309fc9c2619c4f65ff7f4cd82085c3ee7a31fc7c'],
    [-128, '93191e549f8f3548d7e2cfc958ddc8c65bcbe4c6'],
    [127, 'a58f7d98bf60e10fe369c82030b1c9dee053def9'],
    [-1, '22116d253745e29fc63fdf760b6e26f7e197e01d'],
    [0, '93d943aae37b017ad7e011b0c1d2e2143c2fb37d'],
    [1, '82d7213b469812947c109a6d341e3b5b1dedec1f'],
  ];
  for (const [key, expected] of vectors) assert.equal(hex('set', key), expected, `key ${key}`);
  // A number and a bigint of the same value are the same key.
  assert.equal(hex('set', 127n), hex('set', 127));
});

test('string keys hash their UTF-8 bytes with type byte 3', () => {
  const vectors: Array<[string, string]> = [
    ['', '2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83'],
    ['s', '607cddba7cd111745ef0a3d783d57f0e83c8f311'],
    ['a'.repeat(10), '5979fb32a80da070ff356f7695455592272e36c2'],
    ['m'.repeat(100), 'f00ad7dbcb4bd8122d9681bca49b8c2ffd4beeed'],
    ['t'.repeat(1000), '07ac412d4c33b8628ab147b8db244ce44ae527f8'],
    ['-'.repeat(10000), 'b42e64afbfccb05912a609179228d9249ea1c1a0'],
    ['+'.repeat(100000), '0a3e888c20bb8958537ddd4ba835e4070bd51740'],
  ];
  for (const [key, expected] of vectors) assert.equal(hex('set', key), expected, `key of ${key.length} chars`);
});

test('bytes keys hash with type byte 4', () => {
  const vectors: Array<[string, string]> = [
    ['', '327e2877b8815c7aeede0d5a8620d4ef8df4a4b4'],
    ['s', 'ca2d96dc9a184d15a7fa2927565e844e9254e001'],
    ['a'.repeat(10), 'd10982327b2b04c7360579f252e164a75f83cd99'],
    ['m'.repeat(100), '475786aa4ee664532a7d1ea69cb02e4695fcdeed'],
    ['t'.repeat(1000), '5a32b507518a49bf47fdaa3deca53803f5b2e8c3'],
    ['-'.repeat(10000), 'ed65c63f7a1f8c6697eb3894b6409a95461fd982'],
  ];
  for (const [key, expected] of vectors) assert.equal(hex('set', new Uint8Array(Buffer.from(key))), expected, `key of ${key.length} bytes`);
});

test('the set name is part of the digest, the key type too', () => {
  assert.notEqual(hex('set', 'k'), hex('other', 'k'));
  assert.notEqual(hex('set', '1'), hex('set', 1));
});

test('partition id is the first two bytes little-endian masked to 12 bits', () => {
  const d = digestFromHex('93d943aae37b017ad7e011b0c1d2e2143c2fb37d');
  assert.equal(partitionId(d), (0x93 | (0xd9 << 8)) & 0x0fff);
  assert.equal(partitionId(d), 0x993);
  assert.equal(digestHex(d), '93d943aae37b017ad7e011b0c1d2e2143c2fb37d');
});

test('keys outside the accepted types and ranges are invalid arguments', () => {
  for (const bad of [1.5, 2 ** 60, 2n ** 63n, -(2n ** 63n) - 1n, NaN]) {
    assert.throws(() => computeDigest('set', bad as number), (e) => isEngineError(e, 'ENGINE_ERR_INVALID_ARGUMENT'));
  }
  assert.throws(() => computeDigest('set', {} as unknown as string), (e) => isEngineError(e, 'ENGINE_ERR_INVALID_ARGUMENT'));
  assert.throws(() => digestFromHex('zz'), (e) => isEngineError(e, 'ENGINE_ERR_INVALID_ARGUMENT'));
});

test('digests of random sets and keys equal RIPEMD-160 over set, type byte and key bytes (node:crypto)', () => {
  const reference = (set: string, type: number, key: Buffer): string =>
    createHash('ripemd160').update(Buffer.concat([Buffer.from(set, 'utf8'), Buffer.from([type]), key])).digest('hex');
  const anySet = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
  fc.assert(
    fc.property(anySet, fc.maxSafeInteger(), (set, n) => {
      const key = Buffer.alloc(8);
      key.writeBigInt64BE(BigInt(n));
      assert.equal(hex(set, n), reference(set, 1, key));
    }),
  );
  fc.assert(
    fc.property(anySet, fc.oneof(fc.string({ maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 40 })), (set, key) => {
      assert.equal(hex(set, key), reference(set, 3, Buffer.from(key, 'utf8')));
    }),
  );
});

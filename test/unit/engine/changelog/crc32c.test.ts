import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { crc32c } from '../../../../engine/changelog/index.js';

// Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value of CRC-32C.
test('crc32c matches the published check values', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32, 0)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});

test('crc32c of a sub-range equals crc32c of a copy of it (slicing-by-8 and the byte loop agree)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (bytes.length - start === 0 ? 0 : b % (bytes.length - start + 1));
      assert.equal(crc32c(bytes, start, end), crc32c(bytes.slice(start, end)));
    }),
  );
});

// A HyperLogLog bin in a stored body: MessagePack ext 18 holding the sketch
// (record/hll/msgpack-ext.ts); it decodes back to an HllValue, as a copy that
// does not share the device buffer, and the bins fast path leaves it to msgpackr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody, encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import { binsFast } from '../../../../../engine/storage/record-format/body-bins.js';
import { HllValue } from '../../../../../record/index.js';
import { hllCats } from '../../../../helpers/hll.js';

test('an HLL bin is stored as ext 18 and decodes to an HllValue copy', () => {
  const body = Buffer.from(encodeBody({ seen: new HllValue(hllCats), name: 'ada' }, { seen: 7, name: 7 }));
  const ext = body.indexOf(Buffer.from([0xc7, hllCats.length, 18]));
  assert.ok(ext > 0, 'ext 8 header with type 18');
  assert.equal(binsFast(body, 0, body.length), null);
  const decoded = decodeBody(body);
  const seen = decoded.bins.seen;
  assert.ok(seen instanceof HllValue);
  assert.deepEqual(seen.bytes, hllCats);
  body.fill(0);
  assert.deepEqual(seen.bytes, hllCats, 'the decoded sketch is not a view of the body');
  assert.equal(decoded.bins.name, 'ada');
});

// GeoJSON bins in a stored body: ext 23 holding the text, decoded back to GeoJson (also out of shared memory,
// where device blocks live); the hand-written fast paths leave such bodies to msgpackr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode as plainDecode, ExtData } from '@msgpack/msgpack';
import { decodeBody, encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import { binsFast, decodeBins } from '../../../../../engine/storage/record-format/body-bins.js';
import { GeoJson, type Bins } from '../../../../../record/index.js';

const POINT = '{"type":"Point","coordinates":[103.8,1.283]}';

test('a GeoJSON bin, and GeoJSON inside a list and a map, are stored as ext 23 and read back as GeoJson', () => {
  const bins: Bins = { loc: new GeoJson(POINT), stops: [new GeoJson(POINT), 'x'], named: { home: new GeoJson(POINT) }, n: 1 };
  const body = Buffer.from(encodeBody(bins, { loc: 1, stops: 1, named: 1, n: 1 }));
  assert.ok(body.includes(Buffer.concat([Buffer.from([0xc7, POINT.length, 0x17]), Buffer.from(POINT)])));
  assert.deepEqual(decodeBody(body).bins, bins);
  assert.equal(binsFast(body, 0, body.length), null, 'the fast path leaves extensions to msgpackr');
  // A device block is shared memory; the decoder copies the body out first.
  const shared = Buffer.from(new SharedArrayBuffer(body.length + 8), 4, body.length);
  body.copy(shared);
  assert.deepEqual(decodeBins(shared, 0, body.length), bins);
});

test('any MessagePack reader still decodes such a body (the GeoJSON value is an ext of type 23 with the text)', () => {
  const body = encodeBody({ loc: new GeoJson(POINT) }, { loc: 1 });
  const [bins] = plainDecode(body) as [Record<string, ExtData>];
  assert.equal(bins.loc!.type, 23);
  assert.equal(Buffer.from(bins.loc!.data as Uint8Array).toString(), POINT);
});

// GeoJSON on the client protocol, byte for byte: the GEOJSON particle (flags, cell count, cells, text) as a bin,
// the text behind particle type 23 inside lists and maps, and the bare text of a geo query in the index range field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter, ParticleType, decodeMsgpack, particleTypeOf, readIndexRange, readParticle, writeBinOp, writeMsgpack } from '../../../aerospike-protocol/index.js';
import { GeoJson } from '../../../record/index.js';
import { thrownCodeOrNull } from '../../helpers/error-code.js';

const POINT = '{"type":"Point","coordinates":[103.8,1.283]}';

function written(fn: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter(64);
  fn(w);
  return Buffer.from(w.take());
}

test('a GeoJSON bin reads from flags, cell count, cells and text (cells ignored), and is written back with neither flags nor cells', () => {
  const text = Buffer.from(POINT);
  const asClientSends = Buffer.concat([Buffer.from([0x00, 0x00, 0x00]), text]);
  assert.deepEqual(readParticle(ParticleType.GEOJSON, asClientSends, 0, asClientSends.length), new GeoJson(POINT));
  // A particle that carries two cell ids (as a server answers): they are skipped.
  const withCells = Buffer.concat([Buffer.from([0x01, 0x00, 0x02]), Buffer.alloc(16, 0xab), text]);
  assert.equal((readParticle(ParticleType.GEOJSON, withCells, 0, withCells.length) as GeoJson).text, POINT);
  assert.equal(particleTypeOf(new GeoJson(POINT)), ParticleType.GEOJSON);
  const op = written((w) => writeBinOp(w, 'g', new GeoJson(POINT)));
  // size = 4 + 1-byte name + 3 + text; op type READ reply (1), particle 23 (0x17).
  assert.deepEqual(op.subarray(0, 9), Buffer.from([0, 0, 0, 4 + 1 + 3 + text.length, 0x01, 0x17, 0x00, 0x01, 0x67]));
  assert.deepEqual(op.subarray(9, 12), Buffer.from([0, 0, 0]));
  assert.equal(op.subarray(12).toString(), POINT);
});

test('a truncated GeoJSON particle is refused as malformed', () => {
  assert.equal(thrownCodeOrNull(() => readParticle(ParticleType.GEOJSON, Buffer.from([0, 0]), 0, 2)), 'PROTO_ERR_MALFORMED');
  assert.equal(thrownCodeOrNull(() => readParticle(ParticleType.GEOJSON, Buffer.from([0, 0, 1, 9]), 0, 4)), 'PROTO_ERR_MALFORMED');
});

test('inside a list or map, GeoJSON is a MessagePack string whose first byte is 23, as clients write it', () => {
  const bytes = written((w) => writeMsgpack(w, [new GeoJson('{}'), 'x']));
  assert.deepEqual(bytes, Buffer.from([0x92, 0xa3, 0x17, 0x7b, 0x7d, 0xa2, 0x03, 0x78]));
  assert.deepEqual(decodeMsgpack(bytes), [new GeoJson('{}'), 'x']);
  const map = written((w) => writeMsgpack(w, { g: new GeoJson(POINT) }));
  assert.deepEqual(decodeMsgpack(map), { g: new GeoJson(POINT) });
});

test('a geo query in the index range field is particle 23 with the bare GeoJSON text as both ends', () => {
  const region = '{"type":"AeroCircle","coordinates":[[-122.25,37.87],300]}';
  const t = Buffer.from(region);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const field = Buffer.concat([Buffer.from([1, 3]), Buffer.from('loc'), Buffer.from([ParticleType.GEOJSON]), len, t, len, t]);
  const range = readIndexRange(field, 0, field.length);
  assert.equal(range.bin, 'loc');
  assert.equal(range.particle, ParticleType.GEOJSON);
  assert.deepEqual(range.begin, new GeoJson(region));
  assert.deepEqual(range.end, new GeoJson(region));
});

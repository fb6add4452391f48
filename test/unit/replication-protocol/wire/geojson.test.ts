// GeoJSON bin values on wire v1: ext 23 holding the UTF-8 text, pinned by a byte fixture; a receiver
// built before GeoJSON (msgpackr without the extension) refuses such a message instead of misreading it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { decodeMessage, encodeRecord } from '../../../../replication-protocol/index.js';
import { GeoJson, type RecordVersion } from '../../../../record/index.js';
import { fixtureVersion } from './fixture.js';

const POINT = '{"type":"Point","coordinates":[139.69,35.69]}';
const LUT = 1_800_000_000_000 * 1024 + 5;

function geoVersion(): RecordVersion {
  return { ...fixtureVersion(), counters: undefined, bins: { spot: new GeoJson(POINT), trail: [new GeoJson('{"type":"Point","coordinates":[0,0]}')] }, binLuts: { spot: LUT, trail: LUT } };
}

// The v1 bytes of geoVersion() (docs/wire-format.md shows its bins): "spot" → ext8 (c7) of 45 bytes, type 0x17,
// then the text; "trail" → [ext8 of 36 bytes, type 0x17, text]. Changing them is a wire format change.
const GEO_FIXTURE_HEX =
  'de000da17601a46b696e64a67265636f7264a26e73a9757365725f64617461a3736574a57573657273a6646967657374c414000102030405060708090a0b0c0d0e0f10111213a36b6579a3616461aa67656e65726174696f6e03a8766f696454696d6500a36c7574d300068c6171400005a6726567696f6e01a764656c65746564c2a762696e4c757473de0002a473706f74d300068c6171400005a5747261696cd300068c6171400005a462696e73de0002a473706f74c72d177b2274797065223a22506f696e74222c22636f6f7264696e61746573223a5b3133392e36392c33352e36395d7da5747261696c91c724177b2274797065223a22506f696e74222c22636f6f7264696e61746573223a5b302c305d7d';

test('GeoJSON values round-trip on the wire and are ext 23 holding their text', () => {
  const v = geoVersion();
  delete v.counters;
  const bytes = encodeRecord(v);
  assert.equal(bytes.toString('hex'), GEO_FIXTURE_HEX);
  assert.ok(bytes.toString('hex').includes('a473706f74c72d17' + Buffer.from(POINT).toString('hex')));
  const out = decodeMessage(bytes);
  assert.ok(out.kind === 'record');
  assert.deepEqual(out.version.bins, v.bins);
  assert.ok(out.version.bins.spot instanceof GeoJson);
});

test('a receiver without the GeoJSON extension (any build before it) cannot decode such a message: a typed refusal, not a misread', () => {
  const v = geoVersion();
  delete v.counters;
  const hex = encodeRecord(v).toString('hex');
  // A fresh process whose msgpackr has no ext 23, decoding with wire v1's unpack options as older builds do.
  const script = `
    import { Unpackr } from 'msgpackr';
    const u = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto', moreTypes: false });
    try { u.unpack(Buffer.from(process.argv[1], 'hex')); console.log('decoded'); } catch (err) { console.log('refused: ' + err.message); }
  `;
  const result = execFileSync(process.execPath, ['--input-type=module', '-e', script, hex], { encoding: 'utf8', cwd: process.cwd() }).trim();
  assert.match(result, /^refused: .*extension type 23/);
  // And such a throw inside decodeMessage is WIRE_ERR_MALFORMED (what old receivers dead-letter): shown with a message that has an unknown ext.
  const unknownExt = Buffer.from(hex.replace('c72d17', 'c72d16'), 'hex');
  assert.throws(() => decodeMessage(unknownExt), (err: Error & { code?: string }) => err.code === 'WIRE_ERR_MALFORMED');
});

test('messages without GeoJSON keep their bytes (nothing changes for receivers that predate it)', () => {
  const plain = fixtureVersion();
  assert.ok(!encodeRecord(plain).includes(0xc7));
});

/**
 * Bin values on the wire ("particles"): how an op's value bytes decode into a
 * value for a given particle type, and how a value is written back with the
 * particle type it maps to.
 */
import { ParticleType } from './constants.js';
import { badValue, malformed } from './errors.js';
import type { ByteWriter } from './byte-writer.js';
import { readUtf8 } from './fields.js';
import { decodeMsgpack, writeMsgpack } from './msgpack.js';
import { AsSpecial, type AsValue } from './values.js';
import { GeoJson, HllValue, hll } from '../record/index.js';

/** Decodes the value of a particle of `type` in buf[start, end). */
export function readParticle(type: number, buf: Buffer, start: number, end: number): AsValue {
  const n = end - start;
  switch (type) {
    case ParticleType.NULL:
      return null;
    case ParticleType.INTEGER:
      return readInteger(buf, start, n);
    case ParticleType.DOUBLE:
      if (n !== 8) throw malformed(`double value of ${n} bytes; a double is 8`);
      return buf.readDoubleBE(start);
    case ParticleType.STRING:
      return readUtf8(buf, start, end, 'string value');
    case ParticleType.BLOB:
    case ParticleType.JAVA_BLOB:
    case ParticleType.CSHARP_BLOB:
    case ParticleType.PYTHON_BLOB:
    case ParticleType.RUBY_BLOB:
    case ParticleType.PHP_BLOB:
    case ParticleType.ERLANG_BLOB:
      return new Uint8Array(buf.subarray(start, end));
    case ParticleType.BOOL:
      if (n !== 1) throw malformed(`boolean value of ${n} bytes; a boolean is 1`);
      return buf[start] !== 0;
    case ParticleType.LIST:
    case ParticleType.MAP: {
      const v = decodeMsgpack(buf, start, end);
      if (type === ParticleType.LIST && !Array.isArray(v)) throw badValue('a list value does not hold a MessagePack array');
      if (type === ParticleType.MAP && (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array || v instanceof AsSpecial)) {
        throw badValue('a map value does not hold a MessagePack map');
      }
      return v;
    }
    case ParticleType.GEOJSON:
      return readGeoJson(buf, start, end);
    case ParticleType.HLL: {
      const bytes = new Uint8Array(buf.subarray(start, end));
      const problem = hll.sketchProblem(bytes);
      if (problem !== null) throw badValue(problem);
      return new HllValue(bytes);
    }
    default:
      throw badValue(`particle type ${type} is not a bin value type`);
  }
}

/**
 * A GeoJSON particle: flags (1 byte), cell count (2 bytes, big-endian), that
 * many 8-byte cell ids, then the JSON text. Clients send no cells; the server
 * ignores any it is sent (it computes its own), and so does this one.
 */
function readGeoJson(buf: Buffer, start: number, end: number): GeoJson {
  if (end - start < 3) throw malformed(`GeoJSON value of ${end - start} bytes; its header alone is 3`);
  const textStart = start + 3 + 8 * buf.readUInt16BE(start + 1);
  if (textStart > end) throw malformed('GeoJSON value is shorter than its cell ids');
  return new GeoJson(readUtf8(buf, textStart, end, 'GeoJSON text'));
}

/** A big-endian signed integer of 0..8 bytes (clients send 8; shorter forms are sign-extended). */
function readInteger(buf: Buffer, start: number, n: number): number | bigint {
  if (n === 8) {
    const v = buf.readBigInt64BE(start);
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }
  if (n === 0) return 0;
  if (n > 8) throw malformed(`integer value of ${n} bytes; at most 8`);
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(buf[start + i]!);
  return Number(BigInt.asIntN(8 * n, v));
}

/** The particle type a value is written with. */
export function particleTypeOf(v: AsValue): number {
  if (v === null) return ParticleType.NULL;
  switch (typeof v) {
    case 'boolean':
      return ParticleType.BOOL;
    case 'number':
      return Number.isInteger(v) && Number.isSafeInteger(v) ? ParticleType.INTEGER : ParticleType.DOUBLE;
    case 'bigint':
      return ParticleType.INTEGER;
    case 'string':
      return ParticleType.STRING;
  }
  if (v instanceof Uint8Array) return ParticleType.BLOB;
  if (v instanceof HllValue) return ParticleType.HLL;
  if (v instanceof GeoJson) return ParticleType.GEOJSON;
  if (Array.isArray(v)) return ParticleType.LIST;
  return ParticleType.MAP;
}

/** Writes the value bytes of `v` as particle type `particleTypeOf(v)`. */
export function writeParticle(w: ByteWriter, v: AsValue): void {
  if (v === null) return;
  switch (typeof v) {
    case 'boolean':
      return w.u8(v ? 1 : 0);
    case 'number':
      if (Number.isInteger(v) && Number.isSafeInteger(v)) return w.int64(v);
      return w.f64(v);
    case 'bigint':
      return w.i64(v);
    case 'string':
      w.utf8(v);
      return;
  }
  if (v instanceof Uint8Array) return w.bytes(v);
  if (v instanceof HllValue) return w.bytes(v.bytes);
  if (v instanceof GeoJson) {
    // No flags and no cell ids: clients skip the cells and read the text (as the server answers values it did not index).
    w.u8(0);
    w.u16(0);
    w.utf8(v.text);
    return;
  }
  writeMsgpack(w, v);
}

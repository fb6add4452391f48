/**
 * Decoding of wire v1 bytes with strict validation: a message either decodes
 * into a well-formed RecordVersion / Heartbeat or throws a WireError naming the
 * field. Nothing half-valid reaches the receiver's resolver.
 */
import type { RecordVersion, UserKey } from '../../../record/index.js';
import { WireError } from '../errors.js';
import { unpackr } from './codec.js';
import { KIND_HEARTBEAT, KIND_RECORD, WIRE_FORMAT_VERSION, type Heartbeat, type WireMessage } from './message.js';
import { bins, bytes, counters, intInRange, invalid, luts, name, plainObject } from './validate.js';

const DIGEST_BYTES = 20;
/** The last HLC value a double holds exactly (2^53 − 1). */
const LUT_MAX = Number.MAX_SAFE_INTEGER;

function userKey(value: unknown): UserKey {
  if (typeof value === 'string' || typeof value === 'bigint' || value instanceof Uint8Array) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw invalid('key', 'a string, integer or bytes', value);
}

function record(map: Record<string, unknown>): RecordVersion {
  const version: RecordVersion = {
    ns: name(map.ns, 'ns', false),
    set: name(map.set, 'set', true),
    digest: bytes(map.digest, 'digest', DIGEST_BYTES),
    generation: intInRange(map.generation, 'generation', 0, LUT_MAX),
    voidTime: intInRange(map.voidTime, 'voidTime', 0, LUT_MAX),
    lut: intInRange(map.lut, 'lut', 1, LUT_MAX),
    region: intInRange(map.region, 'region', 1, 255),
    deleted: typeof map.deleted === 'boolean' ? map.deleted : (() => { throw invalid('deleted', 'a boolean', map.deleted); })(),
    bins: bins(map.bins, 'bins'),
    binLuts: luts(map.binLuts, 'binLuts'),
  };
  if (map.key !== undefined && map.key !== null) version.key = userKey(map.key);
  if (map.counters !== undefined && map.counters !== null) version.counters = counters(map.counters, 'counters');
  if (map.dormantCounters !== undefined && map.dormantCounters !== null) version.dormantCounters = counters(map.dormantCounters, 'dormantCounters');
  if (version.deleted && Object.keys(version.bins).length > 0) throw invalid('bins', 'no bins in a tombstone (deleted = true)', Object.keys(version.bins));
  return version;
}

function heartbeat(map: Record<string, unknown>): Heartbeat {
  return {
    route: name(map.route, 'route', false),
    region: intInRange(map.region, 'region', 1, 255),
    hlc: intInRange(map.hlc, 'hlc', 0, LUT_MAX),
    backlog: intInRange(map.backlog, 'backlog', 0, Number.MAX_SAFE_INTEGER),
  };
}

/** Decodes one message value. Throws WireError (never anything else) for bad input. */
export function decodeMessage(data: Uint8Array): WireMessage {
  let decoded: unknown;
  try {
    decoded = unpackr.unpack(data);
  } catch (err) {
    throw new WireError('WIRE_ERR_MALFORMED', `not a MessagePack value: ${(err as Error).message.slice(0, 120)}`, { bytes: data.length }, { cause: err });
  }
  const map = plainObject(decoded, '(message)');
  if (map.v !== WIRE_FORMAT_VERSION) {
    if (typeof map.v === 'number') throw new WireError('WIRE_ERR_VERSION', `wire format version ${map.v} is not supported (this build reads ${WIRE_FORMAT_VERSION}); upgrade the receiving gateway`, { field: 'v', found: map.v });
    throw invalid('v', `the format version ${WIRE_FORMAT_VERSION}`, map.v);
  }
  if (map.kind === KIND_RECORD) return { kind: 'record', version: record(map) };
  if (map.kind === KIND_HEARTBEAT) return { kind: 'heartbeat', heartbeat: heartbeat(map) };
  throw invalid('kind', `"${KIND_RECORD}" or "${KIND_HEARTBEAT}"`, map.kind);
}

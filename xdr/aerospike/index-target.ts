/**
 * What a secondary index or a query names beyond its bin, in the wire's terms
 * → the engine's: the collection type (info `indextype=`, query field 26) and
 * the context path (base64 MessagePack in info, raw MessagePack in field 23).
 */
import { decodeCdtContext } from '../../aerospike-protocol/index.js';
import type { IndexContextStep, SecondaryIndexCollection } from '../../engine/index.js';
import { badRequest, unsupportedFeature } from './errors.js';

const BY_NAME: Record<string, SecondaryIndexCollection | undefined> = { DEFAULT: undefined, LIST: 'list', MAPKEYS: 'mapkeys', MAPVALUES: 'mapvalues' };
const BY_CODE: Array<SecondaryIndexCollection | undefined> = [undefined, 'list', 'mapkeys', 'mapvalues'];

export function collectionByName(name: string): SecondaryIndexCollection | undefined {
  const upper = name.toUpperCase();
  if (!Object.hasOwn(BY_NAME, upper)) throw badRequest(`indextype ${name} is not DEFAULT, LIST, MAPKEYS or MAPVALUES`);
  return BY_NAME[upper];
}

export function collectionByCode(code: number): SecondaryIndexCollection | undefined {
  if (code < 0 || code >= BY_CODE.length) throw badRequest(`index collection type ${code} is not 0..3`);
  return BY_CODE[code];
}

export function collectionName(c: SecondaryIndexCollection | undefined): string {
  return c === undefined ? 'default' : c;
}

/** A context path from its MessagePack bytes; only string and integer steps can define an index. */
export function contextFromMsgpack(bytes: Buffer): IndexContextStep[] {
  return decodeCdtContext(bytes, 0, bytes.length).map((step, i) => {
    const v = step.value;
    if (typeof v === 'string') return { type: step.type, value: v };
    if (typeof v === 'number' && Number.isSafeInteger(v)) return { type: step.type, value: v };
    throw unsupportedFeature(`index context step ${i}: only string and integer keys, indexes and ranks can define an index`);
  });
}

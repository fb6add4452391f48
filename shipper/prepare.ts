/**
 * Turning coalesced changes (or scanned versions) into Kafka messages: read the
 * current version, apply the route's rules, project bins, encode. No sending and
 * no cursor here; the caller sequences those.
 */
import type { Logger } from 'pino';
import { partitionId, type EngineApi } from '../engine/index.js';
import { physicalMs, type RecordVersion } from '../record/index.js';
import { holdsCounterState } from '../record/index.js';
import { projectBins, projects, shipVerdict, type CoalescedChange, type RouteRegions } from './filter.js';
import { encodeRecord, isWireError, transcodeStoredVersion, type RecordHead, type RouteSpec, type TranscodedVersion } from '../replication-protocol/index.js';
import type { OutboundMessage } from './transport.js';

export interface PreparedBatch {
  messages: OutboundMessage[];
  /** Bytes of all message values. */
  bytes: number;
  notFound: number;
  filteredOut: number;
  abandoned: number;
}

export interface PrepareContext {
  route: RouteSpec;
  regions: RouteRegions;
  partitions: number;
  recordBytesMax: number;
  logger: Logger;
  /** Wall clock now (ms), to clamp Kafka timestamps. */
  nowMs: number;
  /** Ship versions that originated at the destination too (a rewind with includeOrigin). @default false */
  includeOrigin?: boolean;
}

export function emptyPrepared(): PreparedBatch {
  return { messages: [], bytes: 0, notFound: 0, filteredOut: 0, abandoned: 0 };
}

/** Adds one version to `out` when the route ships it. `localChange`: see shipVerdict. */
export function addVersion(ctx: PrepareContext, out: PreparedBatch, version: RecordVersion | null, localChange: boolean): void {
  if (version === null) {
    out.notFound++;
    return;
  }
  const head = { region: version.region, holdsCounters: holdsCounterState(version) };
  if (shipVerdict(ctx.route, ctx.regions, head, localChange, ctx.includeOrigin) !== 'ship') {
    out.filteredOut++;
    return;
  }
  let value: Buffer;
  try {
    value = encodeRecord(projectBins(ctx.route, version));
  } catch (err) {
    if (!isWireError(err)) throw err;
    out.abandoned++;
    ctx.logger.error({ err, digest: Buffer.from(version.digest).toString('hex') }, 'record cannot be encoded; abandoned');
    return;
  }
  pushMessage(ctx, out, version, value);
}

/**
 * Adds one already-encoded version (transcoded from the engine's stored body:
 * wire bytes without decoding the bins) when the route ships it. Only for routes that ship
 * every bin: a bin projection needs the decoded version (addVersion).
 */
export function addEncoded(ctx: PrepareContext, out: PreparedBatch, encoded: TranscodedVersion | null, localChange: boolean): void {
  if (encoded === null) {
    out.notFound++;
    return;
  }
  const { head, wire } = encoded;
  if (shipVerdict(ctx.route, ctx.regions, { region: head.region, holdsCounters: encoded.holdsCounters }, localChange, ctx.includeOrigin) !== 'ship') {
    out.filteredOut++;
    return;
  }
  pushMessage(ctx, out, head, wire);
}

function pushMessage(ctx: PrepareContext, out: PreparedBatch, head: RecordHead, value: Buffer): void {
  if (value.length > ctx.recordBytesMax) {
    out.abandoned++;
    ctx.logger.error({ code: 'SHIP_ERR_RECORD_TOO_LARGE', bytes: value.length, recordBytesMax: ctx.recordBytesMax, digest: Buffer.from(head.digest).toString('hex') }, 'record larger than recordBytesMax; abandoned');
    return;
  }
  out.messages.push({
    // Change-log digests are Buffers already; a view of another Uint8Array would move it off the V8 heap.
    key: Buffer.isBuffer(head.digest) ? head.digest : Buffer.from(head.digest),
    value,
    partition: partitionId(head.digest) % ctx.partitions,
    // Kafka 4 refuses timestamps more than an hour ahead (log.message.timestamp.after.max.ms);
    // a version from a fast clock must reach the receiver (which dead-letters it), not jam the route.
    timestampMs: Math.min(physicalMs(head.lut), ctx.nowMs),
  });
  out.bytes += value.length;
}

/** Reads the current version of every change (bounded concurrency) and prepares the batch. */
export async function prepareChanges(
  ctx: PrepareContext,
  engine: Pick<EngineApi, 'readVersion' | 'readStoredVersions'>,
  changes: readonly CoalescedChange[],
  concurrencyMax: number,
): Promise<PreparedBatch> {
  const out = emptyPrepared();
  if (engine.readStoredVersions !== undefined && !projects(ctx.route)) {
    const digests = new Array<CoalescedChange['digest']>(changes.length);
    for (let i = 0; i < changes.length; i++) digests[i] = changes[i]!.digest;
    const read = await engine.readStoredVersions(ctx.route.namespace, digests, transcodeStoredVersion);
    for (let i = 0; i < changes.length; i++) {
      const encoded = read[i]!;
      if (encoded instanceof Error) {
        out.abandoned++;
        ctx.logger.error({ err: encoded, digest: Buffer.from(digests[i]!).toString('hex') }, 'record cannot be encoded; abandoned');
      } else addEncoded(ctx, out, encoded, changes[i]!.localChange);
    }
    return out;
  }
  for (let i = 0; i < changes.length; i += concurrencyMax) {
    const slice = changes.slice(i, i + concurrencyMax);
    const versions = await Promise.all(slice.map((c) => engine.readVersion(c.ns, c.digest)));
    for (let j = 0; j < slice.length; j++) addVersion(ctx, out, versions[j]!, slice[j]!.localChange);
  }
  return out;
}

/** Splits messages into sendBatch-sized chunks (records and bytes both bounded). */
export function chunks(messages: readonly OutboundMessage[], recordsMax: number, bytesMax: number): OutboundMessage[][] {
  const out: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (current.length > 0 && (current.length >= recordsMax || bytes + m.value.length > bytesMax)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += m.value.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

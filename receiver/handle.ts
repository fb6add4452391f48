/**
 * What the receiver does with one message: decode, validate, resolve against
 * the local version, store the winner. Returns an outcome for the counters, or
 * a dead-letter verdict; throws only for failures worth retrying.
 */
import { physicalMs, type EngineApi, type RecordVersion } from '../engine/index.js';
import { RecvError } from './errors.js';
import { decodeMessage, isWireError, type ResolveDecision, type RouteResolver } from '../replication-protocol/index.js';

export interface HandleContext {
  regionId: number;
  engine: Pick<EngineApi, 'readVersion' | 'applyVersion'>;
  /** Versions stamped more than this far ahead of the local wall clock are dead-lettered. */
  maxClockOffsetMs: number;
  nowMs(): number;
}

export interface HandleRoute {
  name: string;
  namespace: string;
  resolver: RouteResolver;
}

export type Outcome =
  | { kind: 'heartbeat'; hlc: number; backlog: number }
  /** `conflict`: a local version existed that a different region than the incoming one wrote (two regions wrote the record). */
  | { kind: 'resolved'; reason: ResolveDecision['reason']; lagMs: number; conflict: boolean; error?: Error; versions?: ConflictVersions }
  | { kind: 'dead-letter'; error: RecvError };

/** Both versions of a conflict, for the receiver's ring of recent conflicts. */
export interface ConflictVersions {
  local: RecordVersion;
  incoming: RecordVersion;
}

function deadLetter(error: RecvError): Outcome {
  return { kind: 'dead-letter', error };
}

function engineCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function store(ctx: HandleContext, route: HandleRoute, version: RecordVersion): Promise<Outcome | null> {
  try {
    await ctx.engine.applyVersion(version);
    return null;
  } catch (err) {
    const code = engineCode(err);
    // A closed engine means we are shutting down: abort, the offset stays unresolved.
    if (code === 'ENGINE_ERR_CLOSED') throw err;
    if ((err as { retriable?: unknown }).retriable === false && code !== undefined) {
      return deadLetter(new RecvError('RECV_ERR_APPLY_REJECTED', `the engine refused the version: ${code}: ${(err as Error).message}`, { route: route.name, code }, { cause: err }));
    }
    // Retriable, or unknown (a bug is safer blocking the partition, loudly, than dropping data).
    throw new RecvError('RECV_ERR_APPLY_FAILED', `storing a version failed: ${(err as Error).message}`, { route: route.name, code }, { cause: err });
  }
}

export async function handleMessage(ctx: HandleContext, route: HandleRoute, value: Buffer | null): Promise<Outcome> {
  let message;
  try {
    if (value === null) throw new RecvError('RECV_ERR_UNDECODABLE', 'the message has no value (a tombstone record on a route topic)', { route: route.name });
    message = decodeMessage(value);
  } catch (err) {
    if (err instanceof RecvError) return deadLetter(err);
    if (!isWireError(err)) throw err;
    return deadLetter(new RecvError('RECV_ERR_UNDECODABLE', `${err.code}: ${err.message}`, { route: route.name, field: err.details.field }, { cause: err }));
  }
  if (message.kind === 'heartbeat') return { kind: 'heartbeat', hlc: message.heartbeat.hlc, backlog: message.heartbeat.backlog };
  const incoming = message.version;
  if (incoming.ns !== route.namespace) {
    return deadLetter(new RecvError('RECV_ERR_WRONG_NAMESPACE', `namespace ${incoming.ns} arrived on route ${route.name} of namespace ${route.namespace}`, { route: route.name, ns: incoming.ns }));
  }
  const nowMs = ctx.nowMs();
  const aheadMs = physicalMs(incoming.lut) - nowMs;
  if (aheadMs > ctx.maxClockOffsetMs) {
    return deadLetter(new RecvError('RECV_ERR_CLOCK_OFFSET', `the version is stamped ${aheadMs} ms in the future (max-clock-offset-ms is ${ctx.maxClockOffsetMs}); accepting it would hide every later write to this record`, { route: route.name, aheadMs }));
  }
  const local = await ctx.engine.readVersion(incoming.ns, incoming.digest);
  let decision: ResolveDecision;
  try {
    decision = route.resolver.resolve(local, incoming, { regionId: ctx.regionId });
  } catch (err) {
    // Built-in resolvers do not throw; a custom one wrapped by conflict/ does not either. Belt and braces.
    decision = { action: 'keep-local', reason: 'error', error: err as Error };
  }
  const lagMs = nowMs - physicalMs(incoming.lut);
  const conflict = local !== null && local.region !== incoming.region;
  const versions = conflict ? { versions: { local, incoming } } : {};
  if (decision.action === 'keep-local') return { kind: 'resolved', reason: decision.reason, lagMs, conflict, ...versions, ...(decision.error ? { error: decision.error } : {}) };
  const winner = decision.action === 'merge' ? decision.version : incoming;
  const rejected = await store(ctx, route, winner);
  return rejected ?? { kind: 'resolved', reason: decision.reason, lagMs, conflict, ...versions };
}

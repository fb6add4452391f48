/**
 * What the receiver does with one message: decode, validate, resolve against
 * the local version, store the winner. Returns an outcome for the counters, or
 * a dead-letter verdict; throws only for failures worth retrying (and for a
 * closed engine: the receiver is stopping). What is worth retrying is the
 * engine error's `retriable` flag: a refusal that is not retriable would meet
 * the same message again forever, so it is dead-lettered with the engine's code.
 */
import { type EngineApi } from '../engine/index.js';
import { physicalMs, type Decision, type RecordVersion } from '../record/index.js';
import { isRetriable } from '../errors/index.js';
import { decodeMessage, isWireError, type RouteResolver } from '../replication-protocol/index.js';
import { RecvError } from './errors.js';

export interface HandleContext {
  regionId: number;
  engine: Pick<EngineApi, 'applyDecided'>;
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
  | { kind: 'resolved'; reason: Decision['reason']; lagMs: number; conflict: boolean; error?: Error; versions?: ConflictVersions }
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

/**
 * Runs one engine call of the message (reading the local version, storing the
 * winner): `{ value }` when it succeeds, a dead-letter verdict when the engine
 * refuses for good; throws RECV_ERR_APPLY_FAILED (retriable) otherwise.
 */
async function engineCall<T>(route: HandleRoute, what: 'applying', call: () => Promise<T>): Promise<{ value: T } | Outcome> {
  try {
    return { value: await call() };
  } catch (err) {
    const code = engineCode(err);
    // A closed engine means we are shutting down: abort, the offset stays unresolved.
    if (code === 'ENGINE_ERR_CLOSED') throw err;
    if (!isRetriable(err) && code !== undefined) {
      return deadLetter(new RecvError('RECV_ERR_APPLY_REJECTED', `the engine refused ${what} the version: ${code}: ${(err as Error).message}`, { route: route.name, code }, { cause: err }));
    }
    // Retriable, or unknown (a bug is safer blocking the partition, loudly, than dropping data).
    throw new RecvError('RECV_ERR_APPLY_FAILED', `${what} a version failed: ${(err as Error).message}`, { route: route.name, code }, { cause: err });
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
  // Read, resolve and store as one engine step: a local write landing between a
  // separate read and store would be overwritten by a winner computed without it.
  let local: RecordVersion | null = null;
  let decision: Decision | undefined;
  const applied = await engineCall(route, 'applying', () =>
    ctx.engine.applyDecided(incoming.ns, incoming.digest, (current) => {
      local = current;
      try {
        decision = route.resolver.resolve(current, incoming, { regionId: ctx.regionId });
      } catch (err) {
        // Built-in resolvers do not throw; a custom one wrapped by conflict/ does not either. Belt and braces.
        decision = { action: 'keep-local', reason: 'error', error: err as Error };
      }
      return decision.action === 'keep-local' ? null : decision.action === 'merge' ? decision.version : incoming;
    }),
  );
  if (!('value' in applied)) return applied;
  // applyDecided calls decide before it resolves, so both are set here.
  const resolved = decision!;
  const lagMs = nowMs - physicalMs(incoming.lut);
  const before = local as RecordVersion | null;
  const conflict = before !== null && before.region !== incoming.region;
  const versions = conflict ? { versions: { local: before!, incoming } } : {};
  if (resolved.action === 'keep-local') return { kind: 'resolved', reason: resolved.reason, lagMs, conflict, ...versions, ...(resolved.error ? { error: resolved.error } : {}) };
  return { kind: 'resolved', reason: resolved.reason, lagMs, conflict, ...versions };
}

/**
 * What every request of the engine works on: the opened namespaces by name
 * (each with its request state: secondary indexes, per-operation statistics,
 * objects per set), the hybrid logical clock and the region. The request
 * modules (writes, reads, streams, admin) take it as their first argument;
 * Engine owns the one instance and is the only one to create it.
 */
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import type { Hlc } from '../../record/index.js';
import type { Namespace } from '../namespace/namespace.js';
import type { OpenedNamespace } from '../namespace/open.js';
import type { WriteContext } from '../operations/record-rules.js';
import type { OpOutcome, OpType } from '../stats/index.js';
import type { RecordKey } from '../types.js';
import type { Digest } from '../../record/index.js';
import { NamespaceRequestState } from './namespace-state.js';

/** One opened namespace and what requests keep for it. */
export interface NamespaceEntry {
  readonly opened: OpenedNamespace;
  readonly state: NamespaceRequestState;
}

/** The stable `code` of a typed error, if it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
}

export class EngineContext {
  private readonly entries = new Map<string, NamespaceEntry>();
  closed = false;

  constructor(readonly regionId: number, readonly hlc: Hlc, readonly logger: Logger) {}

  /** Adds an opened namespace; its change listener keeps the request state (indexes, set counts) in step with every stored change. */
  add(opened: OpenedNamespace): NamespaceEntry {
    const state = new NamespaceRequestState(opened.ns);
    // Namespace.store / drop call it on every change (see namespace/namespace.ts).
    opened.ns.changeListeners.push((slot, version) => state.onChange(slot, version));
    const entry = { opened, state };
    this.entries.set(opened.ns.name, entry);
    return entry;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  all(): IterableIterator<NamespaceEntry> {
    return this.entries.values();
  }

  /** The namespace and its request state; throws ENGINE_ERR_NAMESPACE_NOT_FOUND / ENGINE_ERR_CLOSED. */
  entry(name: string): NamespaceEntry {
    if (this.closed) throw new EngineError('ENGINE_ERR_CLOSED', 'the engine was closed', { ns: name });
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new EngineError('ENGINE_ERR_NAMESPACE_NOT_FOUND', `no namespace "${name}" is configured (configured: ${this.names().join(', ')})`, { ns: name });
    }
    return entry;
  }

  namespace(name: string): Namespace {
    return this.entry(name).opened.ns;
  }

  /** What a write's next version is computed with: one clock read for the lut and the TTL's now (the HLC and the namespaces share this clock). */
  writeContext(ns: Namespace, set: string, digest: Digest, key: RecordKey['key']): WriteContext {
    const wallMs = this.hlc.clock.nowMs();
    return {
      ns: ns.name, set, digest, key: key as WriteContext['key'], lut: this.hlc.nowAt(wallMs), region: this.regionId, counterContributor: ns.counterContributor,
      nowSec: Math.floor(wallMs / 1000), defaultTtlSec: ns.options.defaultTtl,
    };
  }

  /** Records a finished operation of `nsName` that started at `startedMs` (performance.now()); `err` when it failed. */
  done(nsName: string, op: OpType, startedMs: number, outcome: OpOutcome, err?: unknown): void {
    this.entries.get(nsName)?.state.stats.record(op, outcome, (performance.now() - startedMs) * 1e6, err === undefined ? undefined : errorCode(err));
  }

  /** Times `fn` into the namespace's statistics of `op` (ENGINE_ERR_RECORD_NOT_FOUND counts as not-found). */
  async timed<T>(nsName: string, op: OpType, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const value = await fn();
      this.done(nsName, op, started, 'success');
      return value;
    } catch (err) {
      this.done(nsName, op, started, errorCode(err) === 'ENGINE_ERR_RECORD_NOT_FOUND' ? 'not-found' : 'error', err);
      throw err;
    }
  }

  /** Wraps a stream so its whole run (until done, failure or early return) is one timed operation. */
  async *counted<T>(nsName: string, op: OpType, source: AsyncGenerator<T>): AsyncGenerator<T> {
    const started = performance.now();
    let failed: unknown = null;
    try {
      yield* source;
    } catch (err) {
      failed = err;
      throw err;
    } finally {
      if (failed === null) this.done(nsName, op, started, 'success');
      else this.done(nsName, op, started, 'error', failed);
    }
  }
}

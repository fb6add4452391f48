/**
 * User resolvers. Loading a module from a path is I/O and happens in xdr/ (or
 * the receiver); this file checks what was loaded and wraps the function so a
 * broken resolver can only ever leave the local record untouched, with a typed
 * error the receiver counts.
 */
import { counterValue, sameDigest } from '../record/index.js';
import { ConflictError } from './errors.js';
import { isVersion } from './validate.js';
import type { Decision, ResolveContext, ResolveFn, Resolver, Version } from './types.js';

const KEEP_REASONS = new Set(['older', 'identical']);

/**
 * The first counter bin whose state does not give its bin's value, if any. The
 * built-in rules keep `bins[n] = counterValue(counters[n])`; a merge that broke
 * it would make regions sum different states and diverge.
 */
function counterOffItsBin(v: Version): string | undefined {
  if (v.counters === undefined) return undefined;
  for (const [name, state] of Object.entries(v.counters)) {
    const value = Object.hasOwn(v.bins, name) ? v.bins[name] : undefined;
    if (typeof value !== 'number' && typeof value !== 'bigint') return name;
    // != on purpose: it compares a number and a bigint by value.
    if (counterValue(state) != value) return name;
  }
  return undefined;
}

/** The checked decision, or a description of what is wrong with it. */
function checkDecision(raw: unknown, incoming: Version): Decision | string {
  if (typeof raw !== 'object' || raw === null) return `expected a decision object, got ${raw === null ? 'null' : typeof raw}`;
  if (typeof (raw as { then?: unknown }).then === 'function') return 'returned a Promise; resolvers must be synchronous';
  const d = raw as Record<string, unknown>;
  switch (d.action) {
    case 'keep-local': {
      const reason = d.reason ?? 'older';
      if (typeof reason !== 'string' || !KEEP_REASONS.has(reason)) return `keep-local needs reason 'older' or 'identical', got ${String(reason)}`;
      return { action: 'keep-local', reason: reason as 'older' | 'identical' };
    }
    case 'take-incoming':
      if (d.reason !== undefined && d.reason !== 'applied') return `take-incoming needs reason 'applied', got ${String(d.reason)}`;
      return { action: 'take-incoming', reason: 'applied' };
    case 'merge': {
      if (d.reason !== undefined && d.reason !== 'merged') return `merge needs reason 'merged', got ${String(d.reason)}`;
      const v = d.version;
      if (!isVersion(v)) return 'merge needs a complete version (ns, set, digest, generation, voidTime, lut, region, deleted, bins, binLuts)';
      if (v.ns !== incoming.ns || v.set !== incoming.set || !sameDigest(v.digest, incoming.digest)) return 'the merged version is of another record';
      const counter = counterOffItsBin(v);
      if (counter !== undefined) return `counters.${counter} does not stand for bins.${counter} (a counter bin's value must be counterValue of its state, docs/conflict.md)`;
      return { action: 'merge', reason: 'merged', version: v };
    }
    default:
      return `unknown action ${String(d.action)}; expected keep-local, take-incoming or merge`;
  }
}

/**
 * Wraps a user function: a throw or a malformed result becomes
 * `{ action: 'keep-local', reason: 'error', error }` (CONFLICT_ERR_CUSTOM_THREW or
 * CONFLICT_ERR_CUSTOM_INVALID_DECISION).
 */
export function wrapCustomResolver(fn: ResolveFn, name: string): Resolver {
  return Object.freeze({
    name,
    resolve(local: Version | null, incoming: Version, ctx: ResolveContext): Decision {
      let raw: unknown;
      try {
        raw = fn(local, incoming, ctx);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const error = new ConflictError('CONFLICT_ERR_CUSTOM_THREW', `custom resolver ${name} threw: ${message}; the local record was kept`, { resolver: name }, { cause: err });
        return { action: 'keep-local', reason: 'error', error };
      }
      const checked = checkDecision(raw, incoming);
      if (typeof checked !== 'string') return checked;
      const error = new ConflictError('CONFLICT_ERR_CUSTOM_INVALID_DECISION', `custom resolver ${name} returned a malformed decision: ${checked}; the local record was kept`, { resolver: name });
      return { action: 'keep-local', reason: 'error', error };
    },
  });
}

/** The resolve function a module exports: `resolve`, a default function, or `default.resolve`. */
function resolveFnOf(mod: unknown): ResolveFn | undefined {
  if ((typeof mod !== 'object' && typeof mod !== 'function') || mod === null) return undefined;
  const m = mod as { resolve?: unknown; default?: unknown };
  if (typeof m.resolve === 'function') return m.resolve as ResolveFn;
  if (typeof m.default === 'function') return m.default as ResolveFn;
  const d = m.default as { resolve?: unknown } | null | undefined;
  if (typeof d === 'object' && d !== null && typeof d.resolve === 'function') return d.resolve.bind(d) as ResolveFn;
  return undefined;
}

/** Whether a loaded module (the namespace object of `import(path)`) exports a resolver. */
export function isResolverModule(mod: unknown): boolean {
  return resolveFnOf(mod) !== undefined;
}

/** The wrapped resolver of a loaded module; CONFLICT_ERR_INVALID_MODULE when it exports none. */
export function resolverFromModule(mod: unknown, name: string): Resolver {
  const fn = resolveFnOf(mod);
  if (fn === undefined) {
    throw new ConflictError('CONFLICT_ERR_INVALID_MODULE', `custom resolver module ${name} exports no resolve function; export \`function resolve(local, incoming, ctx)\` or a default function`, { resolver: name });
  }
  return wrapCustomResolver(fn, name);
}

/**
 * The requests that administer a namespace rather than its records:
 * secondary-index definitions and builds, statistics, nsup on demand, and
 * what recovery found at open.
 */
import type { SecondaryIndexSpec } from '../api.js';
import { isEngineError } from '../errors.js';
import type { OpenedNamespace } from '../namespace/open.js';
import type { StartReport } from '../namespace/start-report.js';
import type { NamespaceStatsSnapshot } from '../namespace/stats.js';
import { snapshotStats } from '../namespace/stats-snapshot.js';
import { checkIndexSpec } from '../secondary-index/index.js';
import type { OpsStatsSnapshot } from '../stats/index.js';
import type { EngineContext, NamespaceEntry } from './context.js';
import { forEachVisibleSlot } from './scan.js';

/** engine.opsStats(ns), also merged into engine.stats(ns): per-operation counters and latencies, objects per set, index sizes. */
export interface RequestStats extends OpsStatsSnapshot {
  sindexes: Array<{ name: string; entries: number; bytesEstimate: number }>;
}

/**
 * Counts objects per set and rebuilds the secondary indexes whose definitions
 * were saved, for every namespace. Engine.open runs it once, before any client
 * request.
 */
export async function restoreIndexes(c: EngineContext): Promise<void> {
  for (const entry of c.all()) {
    entry.state.countSetObjects();
    for (const spec of entry.state.loadSpecs()) {
      const index = entry.state.sindexes.add(spec);
      await buildIndex(c, entry, index.spec.name);
    }
  }
}

export async function createIndex(c: EngineContext, spec: SecondaryIndexSpec): Promise<void> {
  checkIndexSpec(spec);
  const entry = c.entry(spec.ns);
  const index = entry.state.sindexes.add(spec);
  try {
    entry.state.saveSpecs();
  } catch (err) {
    entry.state.sindexes.remove(index.spec.name);
    throw err;
  }
  await buildIndex(c, entry, index.spec.name);
}

/** Fills a new index from the records already stored, while writes go on; on failure the index is dropped. */
async function buildIndex(c: EngineContext, entry: NamespaceEntry, name: string): Promise<void> {
  const { state } = entry;
  const index = state.sindexes.get(name)!;
  const started = performance.now();
  index.beginBuild();
  const run = forEachVisibleSlot(() => c.namespace(state.ns.name), index.spec.set, (ns, slots) => {
    for (const slot of slots) index.buildAdd(slot, index.spec.set ?? ns.index.sets.nameOf(ns.index.setId(slot)), ns.versionAt(slot).bins);
  }, undefined, 'index build');
  const tracked = run.finally(() => {
    index.endBuild();
    state.builds.delete(name);
  });
  state.builds.set(name, tracked.catch(() => {}));
  try {
    await tracked;
  } catch (err) {
    // A build cut short by close() keeps its definition: the next open rebuilds it.
    // Any other failure (e.g. a corrupted record) drops the index it left half-built.
    if (!isEngineError(err, 'ENGINE_ERR_CLOSED') && state.sindexes.get(name) === index) {
      state.sindexes.remove(name);
      state.saveSpecs();
    }
    throw err;
  }
  state.ns.logger.child({ module: 'engine-requests' }).info(
    { index: name, entries: index.size, elapsedMs: Math.round(performance.now() - started) },
    'secondary index built',
  );
}

export async function dropIndex(c: EngineContext, nsName: string, name: string): Promise<void> {
  const { state } = c.entry(nsName);
  state.sindexes.remove(name);
  state.saveSpecs();
}

export function listIndexes(c: EngineContext, nsName: string): SecondaryIndexSpec[] {
  return c.entry(nsName).state.sindexes.list();
}

/** Per-operation counters and latencies, per-set object counts, and index sizes of a namespace. */
export function requestStats(c: EngineContext, nsName: string): RequestStats {
  const { state } = c.entry(nsName);
  return {
    ...state.stats.snapshot(),
    sindexes: state.sindexes.all().map((i) => ({ name: i.spec.name, entries: i.size, bytesEstimate: i.bytesEstimate() })),
  };
}

/** The namespace's counters (Aerospike metric names), its request statistics and its start report. */
export function stats(c: EngineContext, nsName: string): NamespaceStatsSnapshot & RequestStats {
  const entry = c.entry(nsName);
  return { ...snapshotStats(entry.opened.ns), ...requestStats(c, nsName), start: entry.opened.startReport };
}

/** Runs one nsup cycle of a namespace now (tests and operators; it also runs every nsup-period). */
export async function runNsup(c: EngineContext, nsName: string): Promise<Awaited<ReturnType<OpenedNamespace['nsup']>>> {
  return c.entry(nsName).opened.nsup();
}

/** How the namespace was recovered at open. */
export function recoveryInfo(c: EngineContext, nsName: string): OpenedNamespace['recovery'] {
  return c.entry(nsName).opened.recovery;
}

/** What this start can tell about the namespace's previous stop, and which acknowledged changes it may have lost. */
export function startReport(c: EngineContext, nsName: string): StartReport {
  return c.entry(nsName).opened.startReport;
}

/**
 * The real storage engine with memory namespaces, for unit tests of the parts
 * above it (the HTTP API): as fast as a fake, and it behaves as the product
 * does because it is the product's engine. Closed and its folder removed when
 * the test ends.
 */
import { Engine } from '../../engine/index.js';
import { defer, type CleanupScope } from './cleanup.js';
import { tmpDir } from './tmp.js';

export interface MemoryEngineOptions {
  /** @default the shipped configs' namespaces: ['user_data', 'sessions'] */
  namespaces?: string[];
  /** @default 1 */
  regionId?: number;
}

export async function memoryEngine(t: CleanupScope, o: MemoryEngineOptions = {}): Promise<Engine> {
  const dataDir = await tmpDir(t, 'xdrgate-memory-engine-');
  const engine = await Engine.open({
    dataDir,
    regionId: o.regionId ?? 1,
    // nsup off: a unit test sees no background expiry.
    namespaces: (o.namespaces ?? ['user_data', 'sessions']).map((name) => ({ name, storageEngine: 'memory' as const, nsupPeriod: 0 })),
  });
  defer(t, () => engine.close());
  return engine;
}

/** How many live records the engine holds, over all its namespaces. */
export async function recordCount(engine: Engine): Promise<number> {
  let n = 0;
  for (const ns of engine.namespaces()) for await (const _ of engine.scan(ns)) n++;
  return n;
}

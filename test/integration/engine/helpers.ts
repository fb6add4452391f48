/**
 * Shared set-up for the engine's integration tests: engines in fresh temp dirs.
 * One cleanup per test closes every engine it opened (newest first) and only
 * then removes the directories, whatever order they were created in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { Engine, type EngineOptions, type NamespaceOptions } from '../../../engine/index.js';
import { ManualClock } from '../../../record/index.js';

interface Resources {
  engines: Engine[];
  dirs: string[];
}
const perTest = new WeakMap<TestContext, Resources>();

function resources(t: TestContext): Resources {
  let r = perTest.get(t);
  if (r === undefined) {
    const created: Resources = { engines: [], dirs: [] };
    r = created;
    perTest.set(t, created);
    t.after(async () => {
      for (const e of created.engines.reverse()) await e.close().catch(() => {});
      for (const d of created.dirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return r;
}

export function tempDir(t: TestContext, prefix = 'xdrgate-engine-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  resources(t).dirs.push(dir);
  return dir;
}

/** Small devices so tests fill and defrag them quickly. */
export function smallNamespace(name = 'test', extra: Partial<NamespaceOptions> = {}): NamespaceOptions {
  return { name, filesize: 2 * 1024 * 1024, writeBlockSize: 64 * 1024, nsupPeriod: 0, ...extra };
}

/** Registers an engine opened elsewhere for cleanup. */
export function track(t: TestContext, engine: Engine): Engine {
  resources(t).engines.push(engine);
  return engine;
}

export async function openEngine(t: TestContext, options: Partial<EngineOptions> = {}): Promise<{ engine: Engine; dir: string; clock: ManualClock; options: EngineOptions }> {
  const dir = options.dataDir ?? tempDir(t);
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(Date.UTC(2026, 0, 1));
  const full: EngineOptions = { dataDir: dir, regionId: 1, namespaces: [smallNamespace()], ...options, clock };
  const engine = track(t, await Engine.open(full));
  return { engine, dir, clock, options: full };
}

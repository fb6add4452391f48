/** Temp dirs for tests: random names under os.tmpdir(), removed when the test ends. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defer, type CleanupScope } from './cleanup.js';

export type { CleanupScope };

/** Creates a fresh temp dir and registers its removal (LIFO, see cleanup.ts). */
export async function tmpDir(t: CleanupScope, prefix = 'xdrgate-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  defer(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A namespace's counter incarnation: which key its region books counter
 * increments under (record/ counterContributor). It starts at 0 (the region id
 * itself) and goes up by one, durably, at every start that reports lost
 * acknowledged changes: the peers may already hold a larger count under the
 * old key than this region remembers, and new increments under that key would
 * vanish in the max until they passed it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../errors.js';
import { fsyncDirSync } from '../storage/fsync-dir.js';

export const INCARNATION_FILE = 'counter-incarnation.json';

export function readIncarnation(dir: string): number {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, INCARNATION_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const value = (JSON.parse(text) as { incarnation?: unknown }).incarnation;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `${path.join(dir, INCARNATION_FILE)} does not hold a counter incarnation; restore it (or remove it after a fresh start of the namespace)`, { file: path.join(dir, INCARNATION_FILE) });
  }
  return value as number;
}

/** Writes the next incarnation (temp file, fsync, rename, fsync of the directory) and returns it. */
export function nextIncarnation(dir: string): number {
  const next = readIncarnation(dir) + 1;
  const file = path.join(dir, INCARNATION_FILE);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify({ incarnation: next }));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDirSync(dir);
  return next;
}

/**
 * The clean-shutdown marker. close() saves the primary index and then writes
 * this small file (atomically: temp, fsync, rename, fsync of the directory)
 * naming the index's stamp and the block sequence to continue from. open()
 * trusts a saved index only when the marker matches it and the devices, and
 * deletes the marker before accepting writes, so after a crash there is no
 * marker and the index is rebuilt from the devices (cold start).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsyncDirSync } from '../storage/fsync-dir.js';

export const INDEX_FILE = 'primary-index.bin';
export const MARKER_FILE = 'clean-shutdown.json';

export interface CleanMarker {
  format: 1;
  stamp: number;
  nextSeq: number;
  writeBlockSize: number;
  devices: string[];
  deviceBytes: number;
}

export function readMarker(dir: string): CleanMarker | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as CleanMarker;
    if (m.format !== 1 || !Number.isSafeInteger(m.stamp) || !Number.isSafeInteger(m.nextSeq) || !Array.isArray(m.devices)) return null;
    return m;
  } catch {
    return null;
  }
}

export function writeMarker(dir: string, marker: CleanMarker): void {
  const tmp = path.join(dir, `${MARKER_FILE}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(marker));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, MARKER_FILE));
  fsyncDirSync(dir);
}

/** Removes the marker (and the now stale index file) durably. */
export function removeMarker(dir: string): void {
  let removed = false;
  for (const f of [MARKER_FILE, INDEX_FILE]) {
    try {
      fs.unlinkSync(path.join(dir, f));
      removed = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (removed) fsyncDirSync(dir);
}

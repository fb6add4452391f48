/**
 * fsync of a directory, so that files created, renamed or removed in it survive
 * a power loss (the file's own fsync does not cover its directory entry). One
 * place for it: the clean-shutdown marker, change-log recovery, its group commit
 * and its cursors file all depend on it, and each had its own copy.
 */
import fs from 'node:fs';

/** Synchronous: for open, recovery and shutdown paths that already run sync I/O. */
export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** On the thread pool: for paths that must not block the event loop while the device works. */
export async function fsyncDir(dir: string): Promise<void> {
  const dh = await fs.promises.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

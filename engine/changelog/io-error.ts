/**
 * Change-log I/O failures (disk full, EIO, a directory that vanished) as
 * ENGINE_ERR_IO, naming the operation and the file, with the Node error kept as
 * `cause`. Errors that are already EngineErrors (a corrupted frame found while
 * reading, a closed log) pass through unchanged: they say more than "I/O failed".
 */
import { EngineError } from '../errors.js';

/** The file operations of the change log, as they appear in `details.op`. */
export type ChangeLogIoOp = 'open' | 'create' | 'write' | 'read' | 'fdatasync' | 'fsync-dir' | 'write-cursors';

export function changeLogIoError(op: ChangeLogIoOp, file: string, err: unknown): unknown {
  if (err instanceof EngineError) return err;
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  const why = errno === 'ENOSPC' ? 'the disk is full; free space, then retry' : 'check the device and the directory';
  return new EngineError('ENGINE_ERR_IO', `change log ${op} of ${file} failed (${errno ?? String(err)}): ${why}`, { op, file, ...(errno !== undefined ? { errno } : {}) }, { cause: err });
}

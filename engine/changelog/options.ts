/**
 * Options of one namespace's change log, declared once with their defaults,
 * validated at open and then frozen.
 */
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';

export type ReadVisibility =
  /**
   * Cursors see only entries that are fdatasync'd; a cursor waiting for more
   * makes the log sync at once. For namespaces that acknowledge a write only
   * once it is on disk (commit-to-device): a shipper never ships a change the
   * source has not acknowledged, at the price of that fdatasync in every
   * change's replication lag.
   */
  | 'durable'
  /**
   * Cursors see entries as soon as append() returns. For namespaces that
   * acknowledge from RAM (buffered, memory; see namespace/open.ts). A cursor
   * that committed past what a crash left of the log is moved back to the
   * recovered head at open, so nothing after it is skipped.
   */
  | 'appended';

export interface ChangeLogOptions {
  /** Directory of this namespace's log (created if missing). One log per directory. */
  dir: string;
  /** Namespace name; filled into every event read back (it is not stored per entry). */
  ns: string;
  /** A segment file is closed and a new one started past this size. @default 67108864 (64 MiB) */
  segmentBytes?: number;
  /**
   * Size cap of the whole log. Past it the oldest segments are deleted even if a
   * cursor still needs them; that cursor then gets an overflow notice.
   * Must be at least 2 × segmentBytes. @default 1073741824 (1 GiB)
   */
  retainBytesMax?: number;
  /**
   * Appended entries are written and fdatasync'd at least this often even when
   * nobody calls sync() (Aerospike's flush-max-ms): the bound on what a crash can
   * lose in buffered mode. @default 1000
   */
  flushMaxMs?: number;
  /**
   * Size of the in-memory write batch. A full batch is written to the segment
   * file at once (page cache only, no fsync), so this bounds unwritten memory.
   * @default 1048576 (1 MiB)
   */
  chunkBytes?: number;
  /** Recently appended entries kept in memory so cursors near the head never touch the disk. @default 16777216 (16 MiB) */
  tailBytesMax?: number;
  /** What cursors may read; see ReadVisibility. @default 'durable' */
  readVisibility?: ReadVisibility;
  /** pino logger; the log uses a child with { module: 'changelog', ns }. @default silent */
  logger?: Logger;
}

export interface ResolvedChangeLogOptions {
  readonly dir: string;
  readonly ns: string;
  readonly segmentBytes: number;
  readonly retainBytesMax: number;
  readonly flushMaxMs: number;
  readonly chunkBytes: number;
  readonly tailBytesMax: number;
  readonly readVisibility: ReadVisibility;
}

export const CHANGELOG_DEFAULTS = Object.freeze({
  segmentBytes: 64 * 1024 * 1024,
  retainBytesMax: 1024 * 1024 * 1024,
  flushMaxMs: 1000,
  chunkBytes: 1024 * 1024,
  tailBytesMax: 16 * 1024 * 1024,
  readVisibility: 'durable' as ReadVisibility,
});

/** Smallest chunk that still holds a few maximal frames. */
const CHUNK_BYTES_MIN = 4096;

function invalid(field: string, message: string, value: unknown): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `change log option ${field}: ${message}`, { field, value });
}

function intInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer in [${min}, ${max}]`, value);
  }
  return value;
}

export function resolveOptions(options: ChangeLogOptions): ResolvedChangeLogOptions {
  if (typeof options.dir !== 'string' || options.dir.length === 0) throw invalid('dir', 'must be a non-empty path', options.dir);
  if (typeof options.ns !== 'string' || options.ns.length === 0) throw invalid('ns', 'must be a non-empty name', options.ns);
  const d = CHANGELOG_DEFAULTS;
  const chunkBytes = intInRange('chunkBytes', options.chunkBytes ?? d.chunkBytes, CHUNK_BYTES_MIN, 256 * 1024 * 1024);
  // A segment must hold at least one full chunk so a chunk never spans two files.
  const segmentBytes = intInRange('segmentBytes', options.segmentBytes ?? d.segmentBytes, chunkBytes, 2 ** 32 - 1);
  const retainBytesMax = intInRange('retainBytesMax', options.retainBytesMax ?? d.retainBytesMax, 2 * segmentBytes, Number.MAX_SAFE_INTEGER);
  const flushMaxMs = intInRange('flushMaxMs', options.flushMaxMs ?? d.flushMaxMs, 1, 3_600_000);
  const tailBytesMax = intInRange('tailBytesMax', options.tailBytesMax ?? d.tailBytesMax, chunkBytes, 4 * 1024 * 1024 * 1024);
  const readVisibility = options.readVisibility ?? d.readVisibility;
  if (readVisibility !== 'durable' && readVisibility !== 'appended') {
    throw invalid('readVisibility', "must be 'durable' or 'appended'", readVisibility);
  }
  return Object.freeze({ dir: options.dir, ns: options.ns, segmentBytes, retainBytesMax, flushMaxMs, chunkBytes, tailBytesMax, readVisibility });
}

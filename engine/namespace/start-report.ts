/**
 * What a namespace's start can tell about its previous stop, and which
 * acknowledged changes this region may no longer hold because of it. A crash
 * that lost something must say so loudly at restart (a warn line, a metric, the
 * dashboard) and the gateway asks its peers to re-ship that window; a clean
 * stop, a first start or a crash that lost nothing acknowledged says so too.
 *
 * Pure: the inputs are facts gathered at open (engine/namespace/open.ts).
 */
import { physicalMs } from '../../record/index.js';
import type { HlcTimestamp } from '../../record/index.js';

/**
 * How each mode acknowledges a write, which decides what a crash can take:
 * - `commit-to-device`: after the devices and the change log are fdatasync'd;
 * - `buffered`: from the write buffer (a crash loses up to flush-max-ms);
 * - `memory`: from RAM (a crash loses the namespace's data here; peers keep
 *   what was shipped to them).
 */
export type AckMode = 'commit-to-device' | 'buffered' | 'memory';

export interface StartFacts {
  ns: string;
  mode: AckMode;
  flushMaxMs: number;
  /** How the index was rebuilt: from the saved index after a clean close, from the devices, or nothing to rebuild. */
  source: 'saved-index' | 'cold-start' | 'empty';
  /** Memory namespaces only: whether their data is saved at a clean close (otherwise every start begins empty). */
  persisted: boolean;
  records: number;
  /** Largest lut found on the devices (0 when none). */
  maxLut: HlcTimestamp;
  /** The change log's head and last lut after its own recovery. */
  logHeadSeq: number;
  logLastLut: HlcTimestamp;
  /** The largest position a change-log cursor had committed (shippers commit only what Kafka acknowledged). */
  cursorSeqMax: number;
  /** Versions found on the devices whose change event the log lost, with a seq in (logHeadSeq, cursorSeqMax]: not lost, only their entries. */
  seqsRecoveredFromDevices: number;
  /** Unix ms of the newest write to the namespace's files before this start, when known. */
  lastDiskWriteMs: number | undefined;
}

export interface LostWindow {
  /** The namespace's data is gone here (a memory namespace restarted without it). */
  everything: boolean;
  /** Local changes newer than this HLC time may be missing here (0 with `everything`). */
  sinceLut: HlcTimestamp;
  /**
   * Change-log entries past `afterSeq` that shippers had already acknowledged to
   * Kafka, that this log no longer has and whose version is not on the devices
   * either: acknowledged changes known to be missing here (a lower bound, since
   * unshipped ones cannot be counted; a change overwritten by a later one that
   * survived still counts).
   */
  entriesAtLeast: number;
  afterSeq: number;
  /** Upper end of the window: the last write to the namespace's files before the stop (unix ms), when known. */
  lastDiskWriteMs?: number;
}

export interface StartReport {
  ns: string;
  mode: AckMode;
  /** `first-start`: no history at all; `unknown`: a memory namespace that is not persisted cannot tell. */
  lastStop: 'clean' | 'unclean' | 'first-start' | 'unknown';
  source: StartFacts['source'];
  records: number;
  /** Acknowledged changes that may be missing here; absent when none can be. */
  lost?: LostWindow;
}

/**
 * Margin added to flush-max-ms when bounding what a buffered crash can take:
 * the periodic flush runs every half flush-max-ms, a flush in progress and the
 * timer's own lateness under load add to it. Generous on purpose: a window that
 * is too wide only re-ships a little more.
 */
export const FLUSH_SLACK_MS = 1_000;

const HLC_UNITS_PER_MS = 1024;

export function startReport(f: StartFacts): StartReport {
  const hadHistory = f.logHeadSeq > 0 || f.records > 0 || f.cursorSeqMax > 0;
  const base = { ns: f.ns, mode: f.mode, source: f.source, records: f.records };
  const entriesAtLeast = Math.max(0, f.cursorSeqMax - f.logHeadSeq - f.seqsRecoveredFromDevices);
  const window = (everything: boolean, sinceLut: HlcTimestamp): LostWindow => ({
    everything,
    sinceLut,
    entriesAtLeast,
    afterSeq: f.logHeadSeq,
    ...(f.lastDiskWriteMs !== undefined ? { lastDiskWriteMs: f.lastDiskWriteMs } : {}),
  });
  if (f.source === 'saved-index') return { ...base, lastStop: 'clean' };
  if (!hadHistory) return { ...base, lastStop: 'first-start' };
  if (f.mode === 'memory') {
    // RAM is gone whatever the stop was; a persisted namespace only lacks its image after a crash.
    return { ...base, lastStop: f.persisted ? 'unclean' : 'unknown', lost: window(true, 0) };
  }
  const newest = Math.max(f.maxLut, f.logLastLut);
  const sinceLut = Math.max(0, newest - (f.flushMaxMs + FLUSH_SLACK_MS) * HLC_UNITS_PER_MS);
  // commit-to-device acknowledges only what is fdatasync'd, so a crash takes nothing
  // acknowledged, unless the log itself shows otherwise (a cursor past its head).
  if (f.mode === 'commit-to-device' && entriesAtLeast === 0) return { ...base, lastStop: 'unclean' };
  return { ...base, lastStop: 'unclean', lost: window(false, sinceLut) };
}

/** One sentence for the log and the CLI. */
export function describeStartReport(r: StartReport): string {
  const head = `namespace ${r.ns} (${r.mode})`;
  switch (r.lastStop) {
    case 'first-start':
      return `${head}: first start`;
    case 'clean':
      return `${head}: clean restart, ${r.records} records`;
    default:
      break;
  }
  const stop = r.lastStop === 'unknown' ? 'restarted (its data is not persisted)' : 'was not stopped cleanly';
  if (r.lost === undefined) return `${head} ${stop}; recovered ${r.records} records from the devices; nothing acknowledged was lost`;
  const known = r.lost.entriesAtLeast > 0 ? `; at least ${r.lost.entriesAtLeast} acknowledged change(s) after change-log seq ${r.lost.afterSeq} are not here` : '';
  const until = r.lost.lastDiskWriteMs !== undefined ? ` until about ${new Date(r.lost.lastDiskWriteMs).toISOString()}` : '';
  if (r.lost.everything) return `${head} ${stop}: its data is not here${known}; only what other regions hold can come back`;
  return `${head} ${stop}: acknowledged writes made after ${new Date(physicalMs(r.lost.sinceLut)).toISOString()}${until} may be missing here${known}; recovered ${r.records} records`;
}

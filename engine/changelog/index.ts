/**
 * The durable change log of a namespace: the door of engine/changelog/.
 *
 *   const log = await ChangeLog.open({ dir, ns, logger });     // recovers after a crash
 *   const seq = log.append({ kind: 'write', ns, set, digest, lut, region }); // cheap, buffered
 *   await log.sync();            // group commit: every seq appended so far is durable
 *   const c = await log.cursor('ship-to-dc2');                 // persistent, starts at seq 0
 *   const batch = await c.read(500);
 *   if (batch.overflow) { scan records with lut > batch.resumeFromLut; await c.seek(batch.resumeSeq - 1, scanStartLut); }
 *   else { ship(batch.events); await c.commit(lastSeq, lastLut); }
 *   await c.waitForMore(1000, signal);
 *   log.stats(); await log.close();
 *
 * ChangeLog implements ChangeLogApi (../api.ts) and adds append, sync, durableSeq,
 * lastLut, stats and close. Cursor implements ChangeCursor and adds committedLut,
 * readSeq and an optional `lut` argument to seek.
 */
export { ChangeLog } from './change-log.js';
export type { ChangeLogOptions, ReadVisibility } from './options.js';
export { CHANGELOG_DEFAULTS } from './options.js';
export type { NewChangeEvent, ChangeLogStats, CursorStats } from './types.js';
export type { Cursor } from './cursor.js';
export { READ_EVENTS_MAX } from './cursor.js';
export { crc32c } from './crc32c.js';

/**
 * The durable change log of a namespace: the door of engine/changelog/.
 *
 *   const log = await ChangeLog.open({ dir, ns, logger });
 *   const seq = log.append({ kind: 'write', ns, set, digest, lut, region }); // cheap, buffered
 *   await log.sync();            // group commit: seq is now durable
 *   const c = await log.cursor('ship-to-dc2');
 *   const batch = await c.read(500); await c.commit(lastSeq, lastLut);
 */
export { ChangeLog } from './change-log.js';
export type { ChangeLogOptions, ReadVisibility } from './options.js';
export { CHANGELOG_DEFAULTS } from './options.js';
export type { NewChangeEvent, ChangeLogStats, CursorStats } from './types.js';
export { crc32c } from './crc32c.js';
export type { Cursor } from './cursor.js';
export { READ_EVENTS_MAX } from './cursor.js';

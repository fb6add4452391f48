/** Shared helpers of the change-log integration tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { ChangeLog, type ChangeLogOptions, type NewChangeEvent } from '../../../../engine/changelog/index.js';
import type { ChangeCursor } from '../../../../engine/api.js';
import type { ChangeEvent } from '../../../../engine/types.js';

export const NS = 'test';

export function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xdrgate-changelog-${Math.random().toString(36).slice(2)}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Small sizes so that rollover, retention and the cap happen within a few thousand entries. */
export const SMALL: Partial<ChangeLogOptions> = {
  segmentBytes: 16 * 1024,
  chunkBytes: 4096,
  tailBytesMax: 8192,
  retainBytesMax: 1024 * 1024,
  readVisibility: 'appended',
};

export async function openLog(t: TestContext, dir: string, options: Partial<ChangeLogOptions> = {}): Promise<ChangeLog> {
  const log = await ChangeLog.open({ dir, ns: NS, ...SMALL, ...options });
  t.after(() => log.close().catch(() => undefined));
  return log;
}

/** The event with number i, derived from i alone so that any reader can check it. */
export function eventFor(i: number): NewChangeEvent {
  const digest = new Uint8Array(20);
  new DataView(digest.buffer).setUint32(0, i);
  digest[19] = i % 251;
  const kinds = ['write', 'delete', 'expire'] as const;
  return { kind: kinds[i % 3]!, ns: NS, set: i % 2 === 0 ? 'users' : `set-${i % 7}`, digest, lut: 1_000_000 + i * 3, region: 1 + (i % 5) };
}

export function assertEventIs(e: ChangeEvent, i: number): void {
  const want = { seq: i, ...eventFor(i) };
  if (JSON.stringify({ ...e, digest: [...e.digest] }) !== JSON.stringify({ ...want, digest: [...want.digest] })) {
    throw new Error(`event ${i} differs: got ${JSON.stringify({ ...e, digest: [...e.digest] })}`);
  }
}

export function appendMany(log: ChangeLog, from: number, to: number): void {
  for (let i = from; i <= to; i++) {
    const seq = log.append(eventFor(i));
    if (seq !== i) throw new Error(`append ${i} got seq ${seq}`);
  }
}

/** Reads until the cursor returns nothing; throws on overflow. */
export async function drain(cursor: ChangeCursor, batch = 333): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for (;;) {
    const b = await cursor.read(batch);
    if (b.overflow) throw new Error(`unexpected overflow ${JSON.stringify(b)}`);
    if (b.events.length === 0) return out;
    out.push(...b.events);
  }
}

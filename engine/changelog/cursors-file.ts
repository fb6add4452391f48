/**
 * Durable cursor positions: one small JSON file, replaced atomically
 * (write temp + fdatasync + rename + fsync of the directory), so a crash leaves
 * either the old or the new content, never a mix. Concurrent commits coalesce:
 * while one write is in flight, any number of further requests share the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { fsyncDir } from '../storage/fsync-dir.js';
import { crc32c } from './crc32c.js';
import { changeLogIoError } from './io-error.js';

export const CURSORS_FILE = 'cursors.json';
const FORMAT_VERSION = 1;

export interface CursorPosition {
  seq: number;
  lut: number;
}

interface Waiter {
  gen: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

function corrupted(file: string, reason: string): EngineError {
  return new EngineError(
    'ENGINE_ERR_CORRUPTED_STORAGE',
    `change log cursors file ${file} is damaged (${reason}). Delete it to restart every cursor from the oldest entry ` +
      `(cursors then overflow and resume by scan).`,
    { file, offset: 0, reason },
  );
}

function isPosition(v: unknown): v is CursorPosition {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Number.isSafeInteger(o.seq) && (o.seq as number) >= 0 && typeof o.lut === 'number' && Number.isFinite(o.lut);
}

/** Reads the cursors file; an absent file means no cursors. */
export function loadCursors(dir: string): Map<string, CursorPosition> {
  const file = path.join(dir, CURSORS_FILE);
  fs.rmSync(`${file}.tmp`, { force: true }); // a write that a crash interrupted before its rename
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw corrupted(file, 'not valid JSON');
  }
  const d = doc as { version?: unknown; crc?: unknown; cursors?: unknown };
  if (d.version !== FORMAT_VERSION) throw corrupted(file, `unsupported version ${String(d.version)}`);
  if (typeof d.cursors !== 'object' || d.cursors === null) throw corrupted(file, 'no cursors object');
  if (d.crc !== crc32c(Buffer.from(JSON.stringify(d.cursors)))) throw corrupted(file, 'checksum mismatch');
  const out = new Map<string, CursorPosition>();
  for (const [name, pos] of Object.entries(d.cursors as Record<string, unknown>)) {
    if (!isPosition(pos)) throw corrupted(file, `bad position for cursor ${name}`);
    out.set(name, { seq: pos.seq, lut: pos.lut });
  }
  return out;
}

export class CursorStore {
  private readonly file: string;
  private requested = 0;
  private written = 0;
  private running = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly dir: string,
    private readonly snapshot: () => Record<string, CursorPosition>,
  ) {
    this.file = path.join(dir, CURSORS_FILE);
  }

  /** Resolves once a write that started after this call has reached the disk. */
  persist(): Promise<void> {
    const gen = ++this.requested;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ gen, resolve, reject }));
    if (!this.running) void this.loop();
    return done;
  }

  /** Resolves when no write is in flight or queued (used by close). */
  async idle(): Promise<void> {
    if (this.requested > this.written) await this.persist();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.written < this.requested) {
        const gen = this.requested;
        try {
          await this.writeOnce(this.snapshot());
        } catch (err) {
          this.settle(gen, changeLogIoError('write-cursors', this.file, err));
          this.written = gen;
          continue;
        }
        this.written = gen;
        this.settle(gen, undefined);
      }
    } finally {
      this.running = false;
    }
  }

  private settle(gen: number, err: unknown): void {
    const ready = this.waiters.filter((w) => w.gen <= gen);
    this.waiters = this.waiters.filter((w) => w.gen > gen);
    for (const w of ready) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  }

  private async writeOnce(cursors: Record<string, CursorPosition>): Promise<void> {
    const body = JSON.stringify(cursors);
    const text = JSON.stringify({ version: FORMAT_VERSION, crc: crc32c(Buffer.from(body)), cursors });
    const tmp = `${this.file}.tmp`;
    const fh = await fs.promises.open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, this.file);
    await fsyncDir(this.dir);
  }
}

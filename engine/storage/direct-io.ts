/**
 * Reads and writes of a device file opened with O_DIRECT (direct-io). The
 * kernel takes them only at aligned offsets, in aligned lengths, from aligned
 * memory; the engine's reads (a record at any 16-byte offset) and partial
 * flushes are not. A request that is aligned goes straight to the file; any
 * other goes through a page-aligned bounce buffer: a read reads the aligned
 * span around it and copies out, a write reads the partial first and last
 * logical blocks of its span, patches them and writes the span back. That
 * read-modify-write is safe because write blocks are multiples of the
 * alignment, so the span never reaches into a block the writer worker may be
 * writing. A refusal (EINVAL) becomes ENGINE_ERR_DIRECT_IO, never a crash.
 */
import * as fs from 'node:fs';
import { EngineError } from '../errors.js';
import { DIRECT_IO_ALIGN, alignDown, alignUp, alignedBuffer, isAlignedAt } from './aligned-memory.js';

/** Bounce buffer size: a whole write block of the largest size moves in one system call. */
const BOUNCE_BYTES = 8 * 1024 * 1024 + 2 * DIRECT_IO_ALIGN;

let bounce: Buffer | undefined;

/** One bounce buffer for the process: the engine's I/O on a thread is synchronous, so no two requests share it at once. */
function bounceBuffer(): Buffer {
  bounce ??= alignedBuffer(BOUNCE_BYTES);
  return bounce;
}

function refused(name: string, op: string, position: number, length: number, err: unknown): EngineError {
  const code = (err as NodeJS.ErrnoException).code;
  if (op === 'write' && code === 'ENOSPC') {
    return new EngineError('ENGINE_ERR_STOP_WRITES', `the file system holding device ${name} is full; free space there or move the device`, { file: name, offset: position }, { cause: err });
  }
  if (code === 'EINVAL') {
    return new EngineError('ENGINE_ERR_DIRECT_IO', `direct ${op} of device ${name} at offset ${position}, ${length} bytes, was refused (EINVAL): not aligned as the device needs`,
      { file: name, offset: position, length }, { cause: err });
  }
  return new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `${op} of device ${name} at offset ${position} failed: ${(err as Error).message}`, { file: name, offset: position }, { cause: err });
}

/** pread until `length` bytes are in; past the end of the file reads zeros. */
function readFull(fd: number, name: string, target: Buffer, at: number, length: number, position: number): void {
  let done = 0;
  try {
    while (done < length) {
      const n = fs.readSync(fd, target, at + done, length - done, position + done);
      if (n === 0) {
        target.fill(0, at + done, at + length);
        return;
      }
      done += n;
    }
  } catch (err) {
    throw refused(name, 'read', position + done, length - done, err);
  }
}

/** pwrite of exactly the bytes given, no alignment fixed up (the aligned path; exported so tests can show a refusal is typed). */
export function writeFull(fd: number, name: string, source: Buffer, at: number, length: number, position: number): void {
  let done = 0;
  try {
    while (done < length) done += fs.writeSync(fd, source, at + done, length - done, position + done);
  } catch (err) {
    throw refused(name, 'write', position + done, length - done, err);
  }
}

const aligned = (buf: Buffer, at: number, length: number, position: number): boolean =>
  position % DIRECT_IO_ALIGN === 0 && length % DIRECT_IO_ALIGN === 0 && isAlignedAt(buf, at);

export function directRead(fd: number, name: string, target: Buffer, targetPos: number, length: number, position: number): void {
  if (aligned(target, targetPos, length, position)) return readFull(fd, name, target, targetPos, length, position);
  const b = bounceBuffer();
  let done = 0;
  while (done < length) {
    const pos = position + done;
    const start = alignDown(pos);
    const n = Math.min(length - done, b.length - (pos - start));
    readFull(fd, name, b, 0, alignUp(pos + n) - start, start);
    b.copy(target, targetPos + done, pos - start, pos - start + n);
    done += n;
  }
}

export function directWrite(fd: number, name: string, source: Buffer, sourcePos: number, length: number, position: number): void {
  if (aligned(source, sourcePos, length, position)) return writeFull(fd, name, source, sourcePos, length, position);
  const b = bounceBuffer();
  let done = 0;
  while (done < length) {
    const pos = position + done;
    const start = alignDown(pos);
    const n = Math.min(length - done, b.length - (pos - start));
    const end = alignUp(pos + n);
    // The bytes of the span this write does not cover keep what the file holds.
    if (pos !== start) readFull(fd, name, b, 0, DIRECT_IO_ALIGN, start);
    if (pos + n !== end && (end - DIRECT_IO_ALIGN !== start || pos === start)) readFull(fd, name, b, end - DIRECT_IO_ALIGN - start, DIRECT_IO_ALIGN, end - DIRECT_IO_ALIGN);
    source.copy(b, pos - start, sourcePos + done, sourcePos + done + n);
    writeFull(fd, name, b, 0, end - start, start);
    done += n;
  }
}

/**
 * The byte stores a namespace's write blocks live on: a file standing in for an
 * NVMe device, or RAM for `storage-engine memory`. Reads and writes are
 * synchronous on purpose: they hit the page cache (or RAM) and a readSync of a
 * few KiB costs about a microsecond, far less than a round trip through the
 * libuv thread pool; only fdatasync, which waits for the disk, is asynchronous.
 * The one exception is the write of a whole sealed block (~1 MiB, up to
 * milliseconds): storage.ts hands it to a worker thread through `fd`
 * (write-behind.ts) and waits for it at its barriers.
 */
import * as fs from 'node:fs';
import { EngineError } from '../errors.js';
import { DIRECT_IO_ALIGN } from './aligned-memory.js';
import { directRead, directWrite } from './direct-io.js';

/** statfs type of tmpfs: files live in the page cache, so O_DIRECT has nothing to bypass (and before Linux 6.6 it is refused). */
const TMPFS_MAGIC = 0x01021994;

export interface DeviceIo {
  /** File path, or `memory:<ns>/<n>`, for messages. */
  readonly name: string;
  readonly sizeBytes: number;
  /** True when the device was created empty by this open (a cold start has nothing to scan on it). */
  readonly fresh: boolean;
  /**
   * Writes of whole-block images may be widened to multiples of this (1: any
   * length; DIRECT_IO_ALIGN for O_DIRECT files, whose partial writes cost a read-modify-write).
   */
  readonly ioAlign: number;
  /** Reads `length` bytes at `position` into target[targetPos..]; bytes never written read as zeros. */
  read(target: Buffer, targetPos: number, length: number, position: number): void;
  write(source: Buffer, sourcePos: number, length: number, position: number): void;
  /** Makes everything written so far durable. */
  datasync(): Promise<void>;
  datasyncSync(): void;
  /**
   * The block [position, position + length) holds nothing anyone will read
   * again: RAM devices let it go; files wipe the first record's magic so a cold
   * start does not find superseded copies there (fewer non-durable deletes undone).
   */
  discard(position: number, length: number): void;
  /** Bytes actually allocated (a sparse file's written blocks): sizes the index before a cold start. */
  allocatedBytes(): number;
  /** The open file descriptor, for writes done by the writer worker (write-behind.ts); undefined for RAM devices. */
  readonly fd?: number;
  /** Bytes already in RAM, without a copy (RAM devices), or undefined. */
  view?(position: number, length: number): Buffer | undefined;
  close(): void;
}

function ioError(name: string, op: string, position: number, err: unknown): EngineError {
  return new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `${op} of device ${name} at offset ${position} failed: ${(err as Error).message}`,
    { file: name, offset: position }, { cause: err });
}

/** A device file of fixed size, created sparse when missing; with `direct`, opened with O_DIRECT (direct-io.ts does its I/O). */
export class FileDevice implements DeviceIo {
  readonly ioAlign: number;

  private constructor(readonly name: string, readonly sizeBytes: number, private handle: number, readonly fresh: boolean, readonly direct: boolean) {
    this.ioAlign = direct ? DIRECT_IO_ALIGN : 1;
  }

  get fd(): number {
    return this.handle;
  }

  static open(path: string, sizeBytes: number, options: { direct?: boolean } = {}): FileDevice {
    const direct = options.direct === true;
    if (direct && sizeBytes % DIRECT_IO_ALIGN !== 0) {
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `direct-io needs a filesize that is a multiple of ${DIRECT_IO_ALIGN}; ${sizeBytes} is not`, { field: 'filesize', file: path });
    }
    const fd = direct ? openDirect(path) : fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const actual = fs.fstatSync(fd).size;
    if (actual > sizeBytes) {
      fs.closeSync(fd);
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT',
        `device file ${path} is ${actual} bytes but filesize is ${sizeBytes}: a device cannot shrink (raise filesize)`, { field: 'filesize', file: path });
    }
    // A file cut short (or new) is extended with zeros, which read as "no record".
    if (actual < sizeBytes) fs.ftruncateSync(fd, sizeBytes);
    return new FileDevice(path, sizeBytes, fd, actual === 0, direct);
  }

  read(target: Buffer, targetPos: number, length: number, position: number): void {
    if (this.direct) return directRead(this.handle, this.name, target, targetPos, length, position);
    let done = 0;
    try {
      while (done < length) {
        const n = fs.readSync(this.handle, target, targetPos + done, length - done, position + done);
        if (n === 0) {
          target.fill(0, targetPos + done, targetPos + length);
          return;
        }
        done += n;
      }
    } catch (err) {
      throw ioError(this.name, 'read', position, err);
    }
  }

  write(source: Buffer, sourcePos: number, length: number, position: number): void {
    if (this.direct) return directWrite(this.handle, this.name, source, sourcePos, length, position);
    let done = 0;
    try {
      while (done < length) done += fs.writeSync(this.handle, source, sourcePos + done, length - done, position + done);
    } catch (err) {
      // A sparse device file on a full file system: the device is full, retry later.
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw new EngineError('ENGINE_ERR_STOP_WRITES', `the file system holding device ${this.name} is full; free space there or move the device`,
          { file: this.name, offset: position + done }, { cause: err });
      }
      throw ioError(this.name, 'write', position + done, err);
    }
  }

  datasync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fdatasync(this.handle, (err) => (err ? reject(err) : resolve())));
  }

  datasyncSync(): void {
    fs.fdatasyncSync(this.handle);
  }

  allocatedBytes(): number {
    const st = fs.fstatSync(this.handle);
    return Math.min(st.size, st.blocks * 512);
  }

  private static readonly ZEROS = Buffer.alloc(16);

  discard(position: number): void {
    this.write(FileDevice.ZEROS, 0, FileDevice.ZEROS.length, position);
  }

  close(): void {
    if (this.handle >= 0) fs.closeSync(this.handle);
    this.handle = -1;
  }
}

/** RAM standing in for a device; blocks are allocated on first write and released on discard. */
export class MemoryDevice implements DeviceIo {
  readonly ioAlign = 1;
  private readonly blocks: Array<Buffer | undefined>;
  fresh = true;

  constructor(readonly name: string, readonly sizeBytes: number, readonly blockBytes: number) {
    this.blocks = new Array(Math.floor(sizeBytes / blockBytes));
  }

  read(target: Buffer, targetPos: number, length: number, position: number): void {
    let done = 0;
    while (done < length) {
      const b = Math.floor((position + done) / this.blockBytes);
      const within = (position + done) % this.blockBytes;
      const n = Math.min(length - done, this.blockBytes - within);
      const block = this.blocks[b];
      if (block === undefined) target.fill(0, targetPos + done, targetPos + done + n);
      else block.copy(target, targetPos + done, within, within + n);
      done += n;
    }
  }

  write(source: Buffer, sourcePos: number, length: number, position: number): void {
    let done = 0;
    while (done < length) {
      const b = Math.floor((position + done) / this.blockBytes);
      const within = (position + done) % this.blockBytes;
      const n = Math.min(length - done, this.blockBytes - within);
      let block = this.blocks[b];
      if (block === undefined) block = this.blocks[b] = Buffer.alloc(this.blockBytes);
      source.copy(block, within, sourcePos + done, sourcePos + done + n);
      done += n;
    }
  }

  async datasync(): Promise<void> {}
  datasyncSync(): void {}

  allocatedBytes(): number {
    return this.usedBlocks().length * this.blockBytes;
  }

  view(position: number, length: number): Buffer | undefined {
    const within = position % this.blockBytes;
    if (within + length > this.blockBytes) return undefined;
    return this.blocks[Math.floor(position / this.blockBytes)]?.subarray(within, within + length);
  }

  discard(position: number, length: number): void {
    if (position % this.blockBytes === 0 && length === this.blockBytes) this.blocks[position / this.blockBytes] = undefined;
  }

  /** Block numbers holding data, for persistence. */
  usedBlocks(): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.blocks.length; b++) if (this.blocks[b] !== undefined) out.push(b);
    return out;
  }

  blockData(b: number): Buffer | undefined {
    return this.blocks[b];
  }

  setBlockData(b: number, data: Buffer): void {
    if (b >= this.blocks.length) throw new RangeError(`block ${b} is beyond the device's ${this.blocks.length} blocks`);
    this.fresh = false;
    this.blocks[b] = data;
  }

  /** Keeps the blocks: a persistent memory namespace saves them after its storage closed. */
  close(): void {}
}

/**
 * Opens a device file with O_DIRECT, refusing a file system where that means
 * nothing or fails: the message says why, for the operator to move the device
 * or turn direct-io off.
 */
function openDirect(path: string): number {
  const dir = path.slice(0, Math.max(1, path.lastIndexOf('/')));
  if (fs.statfsSync(dir).type === TMPFS_MAGIC) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT',
      `direct-io: device ${path} is on tmpfs, which keeps files in the page cache (O_DIRECT has nothing to bypass there, and kernels before 6.6 refuse it with EINVAL); put the device on ext4 or xfs, or set direct-io false`,
      { field: 'directIo', file: path });
  }
  try {
    return fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_DIRECT, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT',
      `direct-io: the file system of device ${path} refuses O_DIRECT (EINVAL); put the device on ext4 or xfs, or set direct-io false`,
      { field: 'directIo', file: path }, { cause: err });
  }
}

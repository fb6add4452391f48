/**
 * Persistence of a memory namespace across a clean shutdown: the blocks that
 * hold data, each with its number and a CRC-32, in one file. Loaded at the next
 * start and then deleted, so a crash later cannot bring back this old snapshot
 * (a memory namespace without a clean shutdown starts empty, as in Aerospike).
 */
import * as fs from 'node:fs';
import { crc32 } from './checksum.js';
import { EngineError } from '../errors.js';
import type { MemoryDevice } from './device-io.js';

const MAGIC = 0x584d454d; // 'XMEM'

export function saveMemoryDevice(device: MemoryDevice, file: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    const head = Buffer.alloc(16);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(device.blockBytes, 4);
    const used = device.usedBlocks();
    head.writeUInt32LE(used.length, 8);
    fs.writeSync(fd, head);
    const blockHead = Buffer.alloc(8);
    for (const b of used) {
      const data = device.blockData(b)!;
      blockHead.writeUInt32LE(b, 0);
      blockHead.writeUInt32LE(crc32(data), 4);
      fs.writeSync(fd, blockHead);
      fs.writeSync(fd, data);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Loads a saved memory device; returns false when there is no file. */
export function loadMemoryDevice(device: MemoryDevice, file: string): boolean {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const bad = (offset: number, why: string) =>
    new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `memory namespace file ${file} is corrupted at offset ${offset}: ${why}; delete it to start empty`, { file, offset });
  if (bytes.length < 16 || bytes.readUInt32LE(0) !== MAGIC) throw bad(0, 'bad header');
  if (bytes.readUInt32LE(4) !== device.blockBytes) throw bad(4, 'written with another write-block-size');
  const count = bytes.readUInt32LE(8);
  let at = 16;
  for (let i = 0; i < count; i++) {
    if (at + 8 + device.blockBytes > bytes.length) throw bad(at, 'truncated');
    const b = bytes.readUInt32LE(at);
    const data = Buffer.from(bytes.subarray(at + 8, at + 8 + device.blockBytes));
    if (crc32(data) !== bytes.readUInt32LE(at + 4)) throw bad(at, 'block checksum mismatch');
    device.setBlockData(b, data);
    at += 8 + device.blockBytes;
  }
  return true;
}

// direct-io: device files opened with O_DIRECT. Every read and write, aligned or
// not, lands exactly as with a buffered file (aligned ones straight from
// page-aligned memory, others through a bounce buffer with read-modify-write);
// a refusal by the kernel is a typed error; tmpfs is refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { FileDevice } from '../../../../engine/storage/device-io.js';
import { writeFull } from '../../../../engine/storage/direct-io.js';
import { DIRECT_IO_ALIGN, alignedBuffer, isAlignedAt } from '../../../../engine/storage/aligned-memory.js';
import { isEngineError } from '../../../../engine/errors.js';

const TMPFS_MAGIC = 0x01021994;
const RUNS = Number(process.env.XDRGATE_FUZZ_RUNS ?? 200);
const FILE_BYTES = 1024 * 1024;

/** A directory on a file system that honours O_DIRECT: the temp dir unless it is tmpfs, else the working directory. */
function directDir(t: { after: (fn: () => void) => void }): string {
  const base = fs.statfsSync(os.tmpdir()).type === TMPFS_MAGIC ? process.cwd() : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'xdrgate-direct-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('aligned buffers start on a 4 KiB boundary as the kernel sees it: O_DIRECT reads into every 4 KiB of them', (t) => {
  const file = path.join(directDir(t), 'probe.dat');
  fs.writeFileSync(file, Buffer.alloc(64 * 1024, 7));
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_DIRECT);
  t.after(() => fs.closeSync(fd));
  const buf = alignedBuffer(64 * 1024);
  assert.ok(isAlignedAt(buf, 0) && isAlignedAt(buf, DIRECT_IO_ALIGN) && !isAlignedAt(buf, 16));
  assert.ok(!isAlignedAt(Buffer.alloc(64 * 1024), 0), 'an ordinary buffer is never taken for aligned');
  for (let at = 0; at < 64 * 1024; at += DIRECT_IO_ALIGN) assert.equal(fs.readSync(fd, buf, at, DIRECT_IO_ALIGN, at), DIRECT_IO_ALIGN);
  assert.equal(buf[5], 7);
});

test('a direct write the kernel refuses (unaligned) is ENGINE_ERR_DIRECT_IO, not a crash', (t) => {
  const device = FileDevice.open(path.join(directDir(t), 'd.dat'), FILE_BYTES, { direct: true });
  t.after(() => device.close());
  const buf = alignedBuffer(2 * DIRECT_IO_ALIGN);
  assert.throws(() => writeFull(device.fd, device.name, buf, 16, DIRECT_IO_ALIGN, 0), (err: unknown) => isEngineError(err, 'ENGINE_ERR_DIRECT_IO') && /EINVAL/.test((err as Error).message));
  assert.throws(() => writeFull(device.fd, device.name, buf, 0, 100, 0), (err: unknown) => isEngineError(err, 'ENGINE_ERR_DIRECT_IO'));
});

test('reads and writes at any offset and length through O_DIRECT match a buffered file byte for byte', (t) => {
  const dir = directDir(t);
  const direct = FileDevice.open(path.join(dir, 'direct.dat'), FILE_BYTES, { direct: true });
  const plain = FileDevice.open(path.join(dir, 'plain.dat'), FILE_BYTES);
  t.after(() => {
    direct.close();
    plain.close();
  });
  assert.equal(direct.ioAlign, DIRECT_IO_ALIGN);
  assert.equal(plain.ioAlign, 1);
  const source = alignedBuffer(3 * 128 * 1024);
  const op = fc.record({
    write: fc.boolean(),
    position: fc.nat(FILE_BYTES - 1),
    length: fc.integer({ min: 1, max: 300 * 1024 }),
    from: fc.nat(64 * 1024),
    fill: fc.integer({ min: 1, max: 255 }),
    alignedShape: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
    for (const o of ops) {
      let { position, length, from } = o;
      if (o.alignedShape) {
        position -= position % DIRECT_IO_ALIGN;
        from -= from % DIRECT_IO_ALIGN;
        length = Math.max(DIRECT_IO_ALIGN, length - (length % DIRECT_IO_ALIGN));
      }
      length = Math.min(length, FILE_BYTES - position);
      if (o.write) {
        for (let i = 0; i < length; i++) source[from + i] = (o.fill + i) & 0xff;
        direct.write(source, from, length, position);
        plain.write(source, from, length, position);
      } else {
        const a = Buffer.alloc(length + 7);
        const b = Buffer.alloc(length + 7);
        direct.read(a, 7, length, position);
        plain.read(b, 7, length, position);
        assert.ok(a.equals(b), `read of ${length} at ${position} differs`);
      }
    }
  }), { numRuns: RUNS });
  assert.ok(fs.readFileSync(path.join(dir, 'direct.dat')).equals(fs.readFileSync(path.join(dir, 'plain.dat'))), 'the files are identical');
});

test('a device on tmpfs is refused with the reason and what to do', (t) => {
  assert.equal(fs.statfsSync('/dev/shm').type, TMPFS_MAGIC, 'this test needs /dev/shm on tmpfs, as Linux mounts it');
  const dir = fs.mkdtempSync('/dev/shm/xdrgate-direct-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => FileDevice.open(path.join(dir, 'd.dat'), FILE_BYTES, { direct: true }),
    (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT') && /tmpfs.*page cache.*set direct-io false/.test((err as Error).message));
});

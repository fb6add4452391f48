/**
 * A worker thread for the two costs of a write-block turn that need not sit on
 * the thread serving puts: writing the sealed 1 MiB block (~0.2–2 ms of
 * writeSync) and the first touch of a fresh block buffer's pages (~1–4 ms per
 * MiB of page faults on a VM whose memory is backed lazily). The main thread
 * hands over a SharedArrayBuffer-backed view and a status slot; the worker does
 * the job and stores the result in the slot, so the main thread can look
 * (done()) or block (wait(): Atomics.wait) without turning the event loop. A
 * buffered writer in a tight loop never turns it, and its durability barriers
 * (flush, fsync, block reuse) must not depend on it.
 *
 * The worker is evaluated from a string: there is no file to resolve in both
 * the TypeScript sources and dist/.
 */
import { Worker } from 'node:worker_threads';

/** Jobs in flight per worker; a caller that finds none free waits for one of its own. */
export const IO_SLOTS_MAX = 64;

export const IO_PENDING = 0;
export const IO_DONE = 1;
export const IO_FAILED = 2;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const status = workerData.status;
parentPort.on('message', (m) => {
  let result = ${IO_DONE};
  try {
    if (m.kind === 'write') {
      let done = 0;
      while (done < m.length) done += fs.writeSync(m.fd, m.bytes, m.from + done, m.length - done, m.position + done);
    } else {
      // A write to each page makes the kernel back it. An atomic add of 0 writes
      // without changing a byte, so the main thread may already be filling the memory.
      const b = m.bytes;
      for (let i = 0; i < b.length; i += 4096) Atomics.add(b, i, 0);
    }
  } catch {
    result = ${IO_FAILED};
  }
  Atomics.store(status, m.slot, result);
  Atomics.notify(status, m.slot);
});
`;

type Job =
  | { kind: 'write'; fd: number; bytes: Uint8Array; from: number; length: number; position: number }
  | { kind: 'fault'; bytes: Uint8Array };

export class IoWorker {
  private worker: Worker | undefined;
  private readonly status = new Int32Array(new SharedArrayBuffer(4 * IO_SLOTS_MAX));
  private readonly freeSlots: number[] = Array.from({ length: IO_SLOTS_MAX }, (_, i) => IO_SLOTS_MAX - 1 - i);

  /** Starts the job (the bytes must be backed by a SharedArrayBuffer); returns its slot, or -1 when all slots are taken. */
  submit(job: Job): number {
    const slot = this.freeSlots.pop();
    if (slot === undefined) return -1;
    if (this.worker === undefined) {
      this.worker = new Worker(SOURCE, { eval: true, workerData: { status: this.status } });
      // Never keeps the process alive: every barrier waits on the slots, not on the worker.
      this.worker.unref();
      // A dead worker finishes nothing: fail its jobs so waiters end and callers write themselves.
      const failAll = () => {
        this.worker = undefined;
        for (let s = 0; s < IO_SLOTS_MAX; s++) {
          if (Atomics.compareExchange(this.status, s, IO_PENDING, IO_FAILED) === IO_PENDING) Atomics.notify(this.status, s);
        }
      };
      this.worker.on('error', failAll);
      this.worker.on('exit', failAll);
    }
    Atomics.store(this.status, slot, IO_PENDING);
    this.worker.postMessage({ ...job, slot });
    return slot;
  }

  /** IO_PENDING, IO_DONE or IO_FAILED, without waiting. */
  done(slot: number): number {
    return Atomics.load(this.status, slot);
  }

  /** Blocks until the job of `slot` finished; returns IO_DONE or IO_FAILED. */
  wait(slot: number): number {
    while (Atomics.load(this.status, slot) === IO_PENDING) Atomics.wait(this.status, slot, IO_PENDING, 1000);
    return Atomics.load(this.status, slot);
  }

  /** Hands a finished slot back. */
  release(slot: number): void {
    if (Atomics.load(this.status, slot) === IO_PENDING) throw new Error(`assertion: I/O slot ${slot} released while its job runs`);
    this.freeSlots.push(slot);
  }
}

/** Whether `buf` can be handed to the worker without a copy. */
export function isShared(buf: Buffer): boolean {
  return buf.buffer instanceof SharedArrayBuffer;
}

/** One worker writes sealed blocks for every namespace of the process, another faults in fresh buffers. */
export const blockWriter = new IoWorker();
export const bufferFaulter = new IoWorker();

/**
 * A worker thread for the two costs of a write-block turn that need not sit on
 * the thread serving puts: writing the sealed 1 MiB block (~0.2–2 ms of
 * writeSync) and the first touch of fresh block buffers' pages (~1–4 ms per
 * MiB of page faults on a VM whose memory is backed lazily).
 *
 * Jobs go through shared memory, not postMessage: posting a message to a
 * worker that is busy writing cost the main thread 2–5 ms a post here. Each
 * SharedArrayBuffer slab is introduced once on a MessagePort (register());
 * after that a job is a few numbers in a ring the worker waits on, and its
 * result lands in a status slot the main thread can look at (done()) or wait
 * for (wait(): Atomics.wait) without turning the event loop. A buffered writer
 * in a tight loop never turns it, and the durability barriers (flush, fsync,
 * block reuse) must not depend on it.
 *
 * The worker is evaluated from a string: there is no file to resolve in both
 * the TypeScript sources and dist/.
 */
import { MessageChannel, Worker } from 'node:worker_threads';

/** Jobs in flight per worker (a power of two: the ring index is a mask); a caller that finds none free waits for one of its own. */
export const IO_SLOTS_MAX = 64;

export const IO_PENDING = 0;
export const IO_DONE = 1;
export const IO_FAILED = 2;

const KIND_WRITE = 1;
const KIND_FAULT = 2;
/** Numbers per job: kind, slab id, offset in the slab, length, file position, fd. */
const JOB_FIELDS = 6;

const SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const fs = require('node:fs');
const { ctrl, status, jobs, port } = workerData;
// A priority for this thread alone (Linux nice values are per thread).
try { require('node:os').setPriority(0, workerData.nice); } catch {}
const slabs = new Map();
let head = 0;
for (;;) {
  if (Atomics.load(ctrl, 0) === head) {
    Atomics.wait(ctrl, 0, head, 1000);
    continue;
  }
  const slot = Atomics.load(ctrl, 1 + (head & ${IO_SLOTS_MAX - 1}));
  head = (head + 1) | 0;
  const j = slot * ${JOB_FIELDS};
  const kind = jobs[j], slab = jobs[j + 1], offset = jobs[j + 2], length = jobs[j + 3], position = jobs[j + 4], fd = jobs[j + 5];
  // A slab is registered on the port before its first job enters the ring.
  let bytes = slabs.get(slab);
  while (bytes === undefined) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) break;
    slabs.set(m.message.id, m.message.bytes);
    bytes = slabs.get(slab);
  }
  let result = ${IO_FAILED};
  try {
    if (bytes !== undefined && kind === ${KIND_WRITE}) {
      let done = 0;
      while (done < length) done += fs.writeSync(fd, bytes, offset + done, length - done, position + done);
      result = ${IO_DONE};
    } else if (bytes !== undefined) {
      // A write to each page makes the kernel back it. An atomic add of 0 writes
      // without changing a byte, so the main thread may already be filling the memory.
      for (let i = offset; i < offset + length; i += 4096) Atomics.add(bytes, i, 0);
      result = ${IO_DONE};
    }
  } catch {}
  Atomics.store(status, slot, result);
  Atomics.notify(status, slot);
}
`;

/** Atomics.waitAsync (in Node since 16), missing from the ES2022 lib the project compiles against. */
type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class IoWorker {
  private worker: Worker | undefined;
  private readonly channel = new MessageChannel();
  /** [0]: jobs submitted (wrapping int32); [1..IO_SLOTS_MAX]: the ring of their slots. */
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * (1 + IO_SLOTS_MAX)));
  private readonly status = new Int32Array(new SharedArrayBuffer(4 * IO_SLOTS_MAX));
  private readonly jobs = new Float64Array(new SharedArrayBuffer(8 * JOB_FIELDS * IO_SLOTS_MAX));
  private readonly freeSlots: number[] = Array.from({ length: IO_SLOTS_MAX }, (_, i) => IO_SLOTS_MAX - 1 - i);
  /**
   * @param nice the worker thread's nice value: 19 for a worker woken at every
   * block turn (woken at normal priority on a busy machine it preempted the
   * thread serving puts for the whole 1 MiB write), 0 for one woken rarely.
   */
  constructor(private readonly nice: number) {}

  /** Slabs this worker knows, by their memory. */
  private readonly slabIds = new Map<SharedArrayBuffer, number>();

  /** Writes bytes [from, from + length) of `bytes` at `position` of `fd`; returns the job's slot, or -1 when all slots are taken. */
  write(bytes: Uint8Array, from: number, length: number, fd: number, position: number): number {
    return this.submit(KIND_WRITE, bytes, from, length, position, fd);
  }

  /** Backs every page of `bytes` with memory; returns the job's slot, or -1 when all slots are taken. */
  fault(bytes: Uint8Array): number {
    return this.submit(KIND_FAULT, bytes, 0, bytes.length, 0, -1);
  }

  private submit(kind: number, bytes: Uint8Array, from: number, length: number, position: number, fd: number): number {
    if (!(bytes.buffer instanceof SharedArrayBuffer)) throw new Error('assertion: I/O worker jobs need SharedArrayBuffer memory');
    const slot = this.freeSlots.pop();
    if (slot === undefined) return -1;
    this.start();
    const slab = this.slabIdOf(bytes.buffer);
    const j = slot * JOB_FIELDS;
    this.jobs[j] = kind;
    this.jobs[j + 1] = slab;
    this.jobs[j + 2] = bytes.byteOffset + from;
    this.jobs[j + 3] = length;
    this.jobs[j + 4] = position;
    this.jobs[j + 5] = fd;
    Atomics.store(this.status, slot, IO_PENDING);
    const n = Atomics.load(this.ctrl, 0);
    Atomics.store(this.ctrl, 1 + (n & (IO_SLOTS_MAX - 1)), slot);
    Atomics.store(this.ctrl, 0, (n + 1) | 0);
    Atomics.notify(this.ctrl, 0);
    return slot;
  }

  private slabIdOf(memory: SharedArrayBuffer): number {
    let id = this.slabIds.get(memory);
    if (id === undefined) {
      id = this.slabIds.size + 1;
      this.slabIds.set(memory, id);
      this.channel.port1.postMessage({ id, bytes: new Uint8Array(memory) });
    }
    return id;
  }

  private start(): void {
    if (this.worker !== undefined) return;
    const port = this.channel.port2;
    this.worker = new Worker(SOURCE, {
      eval: true, workerData: { ctrl: this.ctrl, status: this.status, jobs: this.jobs, port, nice: this.nice }, transferList: [port],
    });
    // Never keeps the process alive: every barrier waits on the slots, not on the worker.
    this.worker.unref();
    // A dead worker finishes nothing: fail its jobs so waiters end and callers write themselves.
    const failAll = () => {
      for (let s = 0; s < IO_SLOTS_MAX; s++) {
        if (Atomics.compareExchange(this.status, s, IO_PENDING, IO_FAILED) === IO_PENDING) Atomics.notify(this.status, s);
      }
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', failAll);
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

  /** Resolves when the job of `slot` finished, without blocking the thread. */
  async waitAsync(slot: number): Promise<void> {
    if (Atomics.load(this.status, slot) !== IO_PENDING) return;
    // A pending Atomics.waitAsync does not keep Node's event loop alive (nor does
    // the unref'd worker): without this timer a process whose only work left is
    // this wait exits (code 13, unsettled top-level await) instead of waiting.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      while (Atomics.load(this.status, slot) === IO_PENDING) {
        const r = waitAsync(this.status, slot, IO_PENDING, 1000);
        if (r.async) await r.value;
      }
    } finally {
      clearInterval(keepAlive);
    }
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

/**
 * One worker writes sealed blocks for every namespace of the process (a job per
 * block turn), another faults in fresh buffers (a job per 16 MiB slab, and the
 * pages it does not fault in time the thread serving puts faults itself).
 */
export const blockWriter = new IoWorker(19);
export const bufferFaulter = new IoWorker(0);

/**
 * Memory whose address is page-aligned, for O_DIRECT (direct-io): the kernel
 * refuses a direct read or write whose buffer, offset or length is not aligned
 * to the device's logical block (512 B or 4 KiB). Node cannot ask for an
 * aligned ArrayBuffer, and an ordinary one of a MiB sits 16 bytes past a page
 * boundary (glibc's mmap chunk header; measured here). A WebAssembly memory's
 * backing store, though, is reserved by V8 from the page allocator, so it
 * starts on a page; a shared one is a SharedArrayBuffer, which the writer
 * worker (io-worker.ts) can use without a copy. Every buffer made here is
 * remembered, so I/O code can tell aligned buffers from others.
 */

/** Offsets, lengths and buffer addresses of direct I/O are multiples of this (a 4 KiB logical block is the largest in use). */
export const DIRECT_IO_ALIGN = 4096;
const WASM_PAGE_BYTES = 65536;
const alignedBackings = new WeakSet<ArrayBufferLike>();

/** A zeroed buffer of `bytes` (rounded up to 64 KiB) starting on a page; shared so a worker can write from it. */
export function alignedBuffer(bytes: number): Buffer {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  alignedBackings.add(memory.buffer);
  return Buffer.from(memory.buffer, 0, bytes);
}

/** Whether buf[pos..] starts on a DIRECT_IO_ALIGN boundary of memory made by alignedBuffer. */
export function isAlignedAt(buf: Buffer, pos: number): boolean {
  return alignedBackings.has(buf.buffer) && (buf.byteOffset + pos) % DIRECT_IO_ALIGN === 0;
}

export const alignDown = (n: number): number => n - (n % DIRECT_IO_ALIGN);
export const alignUp = (n: number): number => alignDown(n + DIRECT_IO_ALIGN - 1);

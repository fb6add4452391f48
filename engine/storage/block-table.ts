/**
 * Accounting for every write block of a namespace: its state, the sequence
 * number of its current use, and how many of its bytes still hold live records.
 * Pure bookkeeping, no I/O, so the rules are easy to test and assert.
 *
 * Block numbers are global: device d's blocks are d × blocksPerDevice + i.
 * Life of a block: FREE → OPEN (the device's current write buffer) → SEALED
 * (full, fully written) → [DEFRAG (being emptied)] → PENDING_FREE (nothing live,
 * but the writes that superseded its records are not yet durable, so it must
 * not be overwritten) → FREE after the next flush/fsync.
 */
export const BLOCK_FREE = 0;
export const BLOCK_OPEN = 1;
export const BLOCK_SEALED = 2;
export const BLOCK_DEFRAG = 3;
export const BLOCK_PENDING_FREE = 4;

export class BlockTable {
  readonly blockCount: number;
  readonly state: Uint8Array;
  readonly seq: Uint32Array;
  readonly liveBytes: Uint32Array;
  /** Blocks queued for defrag (so a block is queued once). */
  readonly queued: Uint8Array;
  private readonly free: number[][];
  pendingFree: number[] = [];
  /** Sum of liveBytes. */
  liveBytesTotal = 0;

  constructor(
    readonly deviceCount: number,
    readonly blocksPerDevice: number,
    readonly blockBytes: number,
  ) {
    this.blockCount = deviceCount * blocksPerDevice;
    this.state = new Uint8Array(this.blockCount);
    this.seq = new Uint32Array(this.blockCount);
    this.liveBytes = new Uint32Array(this.blockCount);
    this.queued = new Uint8Array(this.blockCount);
    this.free = [];
    for (let d = 0; d < deviceCount; d++) this.free.push([]);
  }

  deviceOf(block: number): number {
    return Math.floor(block / this.blocksPerDevice);
  }

  /** Global block number holding byte `offset` of device `dev`. */
  blockAt(dev: number, offset: number): number {
    return dev * this.blocksPerDevice + Math.floor(offset / this.blockBytes);
  }

  /** Byte offset on its device where `block` starts. */
  startOf(block: number): number {
    return (block % this.blocksPerDevice) * this.blockBytes;
  }

  /** After recovery: every block without live bytes is free, the others sealed. Lowest numbers are handed out first. */
  rebuildFreeLists(): void {
    for (const list of this.free) list.length = 0;
    this.pendingFree = [];
    this.liveBytesTotal = 0;
    for (let b = this.blockCount - 1; b >= 0; b--) {
      this.liveBytesTotal += this.liveBytes[b]!;
      if (this.liveBytes[b] === 0) {
        this.state[b] = BLOCK_FREE;
        this.free[this.deviceOf(b)]!.push(b);
      } else {
        this.state[b] = BLOCK_SEALED;
      }
    }
  }

  freeCount(dev: number): number {
    return this.free[dev]!.length;
  }

  freeCountTotal(): number {
    let n = 0;
    for (const list of this.free) n += list.length;
    return n;
  }

  /** Takes a free block of `dev` for writing under sequence `seq`, or returns -1. */
  take(dev: number, seq: number): number {
    const b = this.free[dev]!.pop();
    if (b === undefined) return -1;
    this.state[b] = BLOCK_OPEN;
    this.seq[b] = seq;
    this.liveBytes[b] = 0;
    return b;
  }

  addLive(block: number, bytes: number): void {
    this.liveBytes[block] = this.liveBytes[block]! + bytes;
    this.liveBytesTotal += bytes;
  }

  /**
   * Records that `bytes` of `block` no longer hold a live record. Returns true
   * when the block just became empty and was moved to PENDING_FREE.
   */
  removeLive(block: number, bytes: number): boolean {
    const left = this.liveBytes[block]! - bytes;
    if (left < 0) throw new Error(`assertion: block ${block} live bytes would go negative (${left})`);
    this.liveBytes[block] = left;
    this.liveBytesTotal -= bytes;
    if (left === 0 && this.state[block] === BLOCK_SEALED) {
      this.state[block] = BLOCK_PENDING_FREE;
      this.pendingFree.push(block);
      return true;
    }
    return false;
  }

  /** The open block is full: it becomes SEALED, or PENDING_FREE when nothing in it is live any more. */
  seal(block: number): void {
    this.state[block] = BLOCK_SEALED;
    if (this.liveBytes[block] === 0) {
      this.state[block] = BLOCK_PENDING_FREE;
      this.pendingFree.push(block);
    }
  }

  /** Defrag finished with a block: sealed again, or pending free when emptied. */
  endDefrag(block: number): void {
    this.queued[block] = 0;
    this.seal(block);
  }

  /** Hands blocks that became empty before a completed flush/fsync back to their free lists. */
  release(blocks: number[]): number[] {
    const released: number[] = [];
    for (const b of blocks) {
      if (this.state[b] !== BLOCK_PENDING_FREE) continue;
      this.state[b] = BLOCK_FREE;
      this.queued[b] = 0;
      this.free[this.deviceOf(b)]!.push(b);
      released.push(b);
    }
    return released;
  }

  /** Takes the pending list (to be released after the next flush/fsync completes). */
  takePending(): number[] {
    const p = this.pendingFree;
    this.pendingFree = [];
    return p;
  }

  /** Percentage of the capacity held by live records. */
  usedPct(): number {
    return (this.liveBytesTotal * 100) / (this.blockCount * this.blockBytes);
  }

  /** Percentage of blocks that are free (Aerospike's device_available_pct). */
  availablePct(): number {
    return (this.freeCountTotal() * 100) / this.blockCount;
  }
}

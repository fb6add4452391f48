/**
 * A namespace's RAM budget (aerospike.conf `memory-size`), counted the way
 * Aerospike counts memory_used_bytes: 64 bytes of primary index per record
 * (tombstones included; this engine's entries take about 55), the secondary
 * indexes' estimate, and the data itself when it lives in RAM (storage-engine
 * memory). Counting per record, not the index's allocated chunks, is what lets
 * eviction bring the figure down: chunks are kept for reuse once allocated.
 * Past stop-writes-pct of the budget client writes are refused; past
 * high-water-memory-pct nsup evicts (nsup.ts).
 */
import { EngineError } from '../errors.js';
import type { PrimaryIndex } from '../primary-index/index.js';
import type { BlockTable } from '../storage/block-table.js';

/** Aerospike's primary-index bytes per record. */
export const INDEX_ENTRY_BYTES = 64;

export interface MemoryBudgetParts {
  ns: string;
  /** memory-size in bytes; 0 = no budget. */
  memorySize: number;
  highWaterMemoryPct: number;
  stopWritesPct: number;
  /** The data is in RAM (storage-engine memory), so it counts. */
  dataInMemory: boolean;
  index: PrimaryIndex;
  blocks: BlockTable;
}

export class MemoryBudget {
  /** Bytes of the secondary indexes, set by whoever owns them (requests/namespace-state.ts). */
  secondaryIndexBytes: () => number = () => 0;
  stopWrites = 0;

  constructor(private readonly parts: MemoryBudgetParts) {}

  get size(): number {
    return this.parts.memorySize;
  }

  usedBytes(): number {
    const p = this.parts;
    return p.index.count * INDEX_ENTRY_BYTES + this.secondaryIndexBytes() + (p.dataInMemory ? p.blocks.liveBytesTotal : 0);
  }

  /** Percentage of memory-size in use; 0 without a budget. */
  usedPct(): number {
    return this.parts.memorySize > 0 ? (this.usedBytes() * 100) / this.parts.memorySize : 0;
  }

  pastHighWater(): boolean {
    return this.parts.highWaterMemoryPct > 0 && this.usedPct() > this.parts.highWaterMemoryPct;
  }

  atStopWrites(): boolean {
    return this.parts.memorySize > 0 && this.usedPct() >= this.parts.stopWritesPct;
  }

  /** Refuses a client write at or past stop-writes-pct of memory-size. */
  checkWritable(): void {
    if (!this.atStopWrites()) return;
    this.stopWrites++;
    const used = this.usedPct();
    throw new EngineError('ENGINE_ERR_STOP_WRITES',
      `namespace ${this.parts.ns} is at stop-writes: memory ${used.toFixed(1)}% of memory-size ${this.parts.memorySize} bytes ≥ stop-writes-pct ${this.parts.stopWritesPct}; delete data, lower default-ttl so nsup evicts, or raise memory-size`,
      { ns: this.parts.ns, memoryUsedPct: used });
  }
}

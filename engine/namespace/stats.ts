/**
 * Per-namespace counters, reported under Aerospike's metric names (the ones
 * operators already alert on: client_read_success, device_used_pct, ...).
 */
import type { StartReport } from './start-report.js';
export interface NamespaceStatsSnapshot {
  ns: string;
  storage_engine: 'device' | 'memory';
  objects: number;
  tombstones: number;
  expired_objects: number;
  evicted_objects: number;
  tombstones_collected: number;
  device_used_bytes: number;
  device_total_bytes: number;
  device_used_pct: number;
  device_available_pct: number;
  stop_writes: boolean;
  /** Memory as Aerospike counts it against memory-size: 64 B of index a record, secondary indexes, and data of a memory namespace. */
  memory_used_bytes: number;
  /** memory-size in bytes; 0 = no budget. */
  memory_size: number;
  /** memory_used_bytes as a percentage of memory_size; 0 without a budget. */
  memory_used_pct: number;
  /** Client writes refused by stop-writes (device or memory) since the start. */
  stop_writes_count: number;
  defrag_q: number;
  defrag_reads: number;
  defrag_writes: number;
  defrag_blocks_freed: number;
  client_write_success: number;
  /** Client writes that failed: storage or durability failures, bad input, stop-writes. Policy refusals are not counted here. */
  client_write_error: number;
  /** Client writes the write policy refused (exists: create on an existing record, a generation check, update-only on a missing record): the client's answer, not an engine fault. */
  client_write_refused: number;
  client_read_success: number;
  client_read_not_found: number;
  client_read_error: number;
  client_delete_success: number;
  client_delete_not_found: number;
  client_delete_error: number;
  xdr_apply_success: number;
  xdr_apply_error: number;
  nsup_cycles: number;
  nsup_cycle_duration_ms: number;
  index_bytes: number;
  write_blocks_written: number;
  /** Sealed blocks the thread serving writes wrote itself because the writer worker lagged (flush-max-ms or a barrier was due). */
  write_blocks_written_inline: number;
  device_syncs: number;
  changelog_head_seq: number;
  /** What this start could tell about the previous stop (start-report.ts); engine.stats fills it in. */
  start?: StartReport;
}

export class NamespaceStats {
  expired = 0;
  evicted = 0;
  tombstonesCollected = 0;
  writeSuccess = 0;
  writeError = 0;
  writeRefused = 0;
  readSuccess = 0;
  readNotFound = 0;
  readError = 0;
  deleteSuccess = 0;
  deleteNotFound = 0;
  deleteError = 0;
  applySuccess = 0;
  applyError = 0;
  nsupCycles = 0;
  nsupLastMs = 0;
}

/** Engine error codes that are a write policy's answer, not a failure of the engine (counted as client_write_refused). */
const POLICY_REFUSAL_CODES: ReadonlySet<string> = new Set(['ENGINE_ERR_RECORD_EXISTS', 'ENGINE_ERR_GENERATION_MISMATCH', 'ENGINE_ERR_RECORD_NOT_FOUND']);

export function isPolicyRefusal(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && POLICY_REFUSAL_CODES.has(code);
}

/** Assembles a namespace's stats snapshot from its parts. */
import type { Namespace } from './namespace.js';
import type { NamespaceStatsSnapshot } from './stats.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

export function snapshotStats(ns: Namespace): NamespaceStatsSnapshot {
  const s = ns.stats;
  const blocks = ns.storage.blocks;
  const usedPct = blocks.usedPct();
  return {
    ns: ns.name,
    storage_engine: ns.options.storageEngine,
    objects: ns.index.count - ns.index.tombstoneCount,
    tombstones: ns.index.tombstoneCount,
    expired_objects: s.expired,
    evicted_objects: s.evicted,
    tombstones_collected: s.tombstonesCollected,
    device_used_bytes: blocks.liveBytesTotal,
    device_total_bytes: blocks.blockCount * blocks.blockBytes,
    device_used_pct: round2(usedPct),
    device_available_pct: round2(blocks.availablePct()),
    stop_writes: usedPct >= ns.options.stopWritesPct || ns.memory.atStopWrites(),
    memory_used_bytes: ns.memory.usedBytes(),
    memory_size: ns.memory.size,
    memory_used_pct: round2(ns.memory.usedPct()),
    stop_writes_count: ns.storage.stats.stopWrites + ns.memory.stopWrites,
    defrag_q: ns.defrag.queueLength(),
    defrag_reads: ns.defrag.stats.blocksRead,
    defrag_writes: ns.defrag.stats.recordsMoved,
    defrag_blocks_freed: ns.defrag.stats.blocksFreed,
    client_write_success: s.writeSuccess,
    client_write_error: s.writeError,
    client_write_refused: s.writeRefused,
    client_read_success: s.readSuccess,
    client_read_not_found: s.readNotFound,
    client_read_error: s.readError,
    client_delete_success: s.deleteSuccess,
    client_delete_not_found: s.deleteNotFound,
    client_delete_error: s.deleteError,
    xdr_apply_success: s.applySuccess,
    xdr_apply_error: s.applyError,
    nsup_cycles: s.nsupCycles,
    nsup_cycle_duration_ms: round2(s.nsupLastMs),
    index_bytes: ns.index.bytesAllocated(),
    write_blocks_written: ns.storage.stats.blocksWritten,
    write_blocks_written_inline: ns.storage.blocksWrittenInline,
    device_syncs: ns.storage.stats.syncs,
    changelog_head_seq: ns.log.headSeq(),
  };
}

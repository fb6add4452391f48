/** The gateway's namespace configuration in the engine's terms (engine/options.ts). */
import { NAMESPACE_DEFAULTS, type EngineOptions, type NamespaceOptions } from '../engine/index.js';
import type { GatewayConfig, NamespaceConfig } from './config/index.js';

export function namespaceOptions(ns: NamespaceConfig): NamespaceOptions {
  const common = {
    name: ns.name,
    defaultTtl: ns.defaultTtlSec,
    nsupPeriod: ns.nsupPeriodSec,
    highWaterDiskPct: ns.highWaterDiskPct,
    stopWritesPct: ns.stopWritesPct,
    memorySize: ns.memorySizeBytes,
    highWaterMemoryPct: ns.highWaterMemoryPct,
    tombstoneGraceSec: ns.tombstoneGraceSec,
  };
  if (ns.storage.engine === 'memory') {
    // A memory namespace stores in write blocks of the engine's default size, and a
    // record is written within one block: that bounds its records below a larger max-record-size.
    const maxRecordSize = Math.min(ns.maxRecordSizeBytes, NAMESPACE_DEFAULTS.writeBlockSize);
    return { ...common, maxRecordSize, storageEngine: 'memory', persist: ns.storage.persist, dataSize: ns.storage.dataSizeBytes };
  }
  return {
    ...common,
    storageEngine: 'device',
    devices: [...ns.storage.devices],
    filesize: ns.storage.filesizeBytes,
    writeBlockSize: ns.storage.writeBlockSizeBytes,
    maxRecordSize: ns.maxRecordSizeBytes,
    commitToDevice: ns.storage.commitToDevice,
    flushMaxMs: ns.storage.flushMaxMs,
    defragLwmPct: ns.storage.defragLwmPct,
    directIo: ns.storage.directIo,
    postWriteQueue: ns.storage.postWriteQueue,
  };
}

export function engineOptions(config: GatewayConfig): Omit<EngineOptions, 'logger'> {
  return { dataDir: config.dataDir, regionId: config.region.id, namespaces: config.namespaces.map(namespaceOptions) };
}

/** The gateway's namespace configuration in the engine's terms (engine/options.ts). */
import { NAMESPACE_DEFAULTS, isEngineError, type EngineOptions, type NamespaceOptions } from '../engine/index.js';
import { ConfigError, type GatewayConfig, type NamespaceConfig } from './config/index.js';

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

/**
 * The engine refuses direct-io on a file system that cannot do it (tmpfs, or
 * EINVAL from O_DIRECT) while opening the devices; for the operator that is a
 * configuration problem, reported at the namespace's direct-io setting.
 * Anything else is returned as is.
 */
export function directIoConfigError(err: unknown, config: GatewayConfig): unknown {
  if (!isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT')) return err;
  const details = (err as { details?: { field?: string; file?: string } }).details;
  if (details?.field !== 'directIo') return err;
  const ns = config.namespaces.find((n) => n.storage.engine === 'device' && n.storage.devices.includes(details.file ?? ''));
  const at = ns ? `namespaces.${ns.name}.storage.direct-io` : 'namespaces';
  const message = (err as Error).message;
  return new ConfigError('CONFIG_ERR_DIRECT_IO_UNSUPPORTED', `${at}: ${message}`, { file: config.origin.file, problems: [{ path: at, message }] }, { cause: err });
}

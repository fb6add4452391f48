/**
 * Opening and closing a namespace: devices, storage, index (saved or rebuilt),
 * change log and background work, in the order that keeps recovery safe.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { ChangeLog } from '../changelog/index.js';
import { Defragger } from '../storage/defrag.js';
import { FileDevice, MemoryDevice, type DeviceIo } from '../storage/device-io.js';
import { loadMemoryDevice, saveMemoryDevice } from '../storage/memory-persist.js';
import { Storage } from '../storage/storage.js';
import { INDEX_FILE, removeMarker, writeMarker } from './clean-shutdown.js';
import type { Hlc } from '../../record/index.js';
import { Namespace } from './namespace.js';
import { runNsup } from './nsup.js';
import type { ResolvedNamespaceOptions } from '../options.js';
import { rebuildIndex, reconcileChangeLog, type RebuiltIndex } from './recovery.js';
import { describeStartReport, startReport, type AckMode, type StartReport } from './start-report.js';
import { nextIncarnation, readIncarnation } from './counter-incarnation.js';
import { counterContributor } from '../../record/index.js';

const MEMORY_FILE = 'memory-namespace.dat';

export interface OpenedNamespace {
  ns: Namespace;
  recovery: Omit<RebuiltIndex, 'index' | 'missingEvents'> & { changeEventsAppended: number };
  /** What this start can tell about the previous stop and what it may have lost. */
  startReport: StartReport;
  close(): Promise<void>;
  /** Runs one nsup cycle now (tests, operators). */
  nsup(): ReturnType<typeof runNsup>;
}

/**
 * What the namespace's change-log cursors (shippers) may read, unless its
 * `changeLog.readVisibility` says otherwise: what the namespace has acknowledged.
 * With commit-to-device a put is acknowledged once the devices and the change
 * log are fdatasync'd, so cursors read only fdatasync'd entries ('durable').
 * Buffered and memory namespaces acknowledge a put from RAM: an entry is
 * readable once appended. Waiting for the log's own fdatasync there would
 * protect nothing (the record a shipper reads comes from the write buffer,
 * which flush-max-ms governs, not the log) and put that fdatasync's tail into
 * every change's replication lag. Either way nothing is skipped after a crash:
 * a cursor ahead of the recovered log is moved back to its head, and the events
 * re-appended for the versions the devices hold beyond it are read again.
 */
function changeLogVisibility(o: ResolvedNamespaceOptions): 'durable' | 'appended' {
  return o.storageEngine === 'device' && o.commitToDevice ? 'durable' : 'appended';
}

function ackMode(o: ResolvedNamespaceOptions): AckMode {
  if (o.storageEngine === 'memory') return 'memory';
  return o.commitToDevice ? 'commit-to-device' : 'buffered';
}

/** Unix ms of the newest write to the namespace's device files and change log, before anything is opened. */
function lastDiskWriteMs(o: ResolvedNamespaceOptions): number | undefined {
  const files = o.storageEngine === 'device' ? [...o.devices] : [];
  const logDir = path.join(o.dir, 'changelog');
  try {
    for (const name of fs.readdirSync(logDir)) files.push(path.join(logDir, name));
  } catch {
    // no change log yet
  }
  let newest: number | undefined;
  for (const file of files) {
    try {
      const ms = fs.statSync(file).mtimeMs;
      if (newest === undefined || ms > newest) newest = ms;
    } catch {
      // a file that does not exist yet says nothing
    }
  }
  return newest === undefined ? undefined : Math.round(newest);
}

function openDevices(o: ResolvedNamespaceOptions): DeviceIo[] {
  if (o.storageEngine === 'memory') {
    const dev = new MemoryDevice(`memory:${o.name}/0`, o.dataSize, o.writeBlockSize);
    if (o.persist) loadMemoryDevice(dev, path.join(o.dir, MEMORY_FILE));
    return [dev];
  }
  const opened: DeviceIo[] = [];
  try {
    for (const file of o.devices) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      opened.push(FileDevice.open(file, o.filesize, { direct: o.directIo }));
    }
  } catch (err) {
    for (const d of opened) d.close();
    throw err;
  }
  return opened;
}

/**
 * Opens the change log, then rebuilds the index (saved index or cold start):
 * the log first, because its head tells recovery which versions on the devices
 * it lacks. Closes what it opened (the storage included) when either fails.
 */
async function openLogAndIndex(o: ResolvedNamespaceOptions, storage: Storage, rootLogger: Logger, logger: Logger): Promise<{ log: ChangeLog; rebuilt: RebuiltIndex }> {
  let log: ChangeLog;
  try {
    log = await ChangeLog.open({
      readVisibility: changeLogVisibility(o),
      flushMaxMs: o.flushMaxMs,
      ...o.changeLog,
      dir: path.join(o.dir, 'changelog'),
      ns: o.name,
      logger: rootLogger,
    });
  } catch (err) {
    await storage.close().catch(() => {});
    throw err;
  }
  try {
    const rebuilt = await rebuildIndex(o.dir, storage, o.coldStartVerifyBodies, log.headSeq(), logger);
    // From here on the saved index is stale: a crash must lead to a cold start.
    removeMarker(o.dir);
    if (o.storageEngine === 'memory') fs.rmSync(path.join(o.dir, MEMORY_FILE), { force: true });
    return { log, rebuilt };
  } catch (err) {
    await storage.close().catch(() => {});
    await log.close().catch(() => {});
    throw err;
  }
}

/** What this start can tell about the previous stop; before reconciliation re-appends the events the log lost. */
function reportStart(o: ResolvedNamespaceOptions, rebuilt: RebuiltIndex, log: ChangeLog, lastWriteMs: number | undefined): StartReport {
  const headBefore = log.headSeq();
  let seqsRecoveredFromDevices = 0;
  for (const seq of rebuilt.missingEvents.values()) if (seq > headBefore && seq <= log.recoveredCursorSeqMax) seqsRecoveredFromDevices++;
  return startReport({
    ns: o.name, mode: ackMode(o), flushMaxMs: o.flushMaxMs, source: rebuilt.source, persisted: o.persist, records: rebuilt.records,
    maxLut: rebuilt.maxLut, logHeadSeq: headBefore, logLastLut: log.lastLut(), cursorSeqMax: log.recoveredCursorSeqMax, seqsRecoveredFromDevices,
    lastDiskWriteMs: lastWriteMs,
  });
}

export async function openNamespace(o: ResolvedNamespaceOptions, hlc: Hlc, regionId: number, rootLogger: Logger): Promise<OpenedNamespace> {
  const logger = rootLogger.child({ module: 'engine', ns: o.name });
  fs.mkdirSync(o.dir, { recursive: true });
  const lastWriteMs = lastDiskWriteMs(o);
  const devices = openDevices(o);
  const storage = new Storage({
    ns: o.name, devices, writeBlockBytes: o.writeBlockSize, commitToDevice: o.commitToDevice && o.storageEngine === 'device',
    flushMaxMs: o.flushMaxMs, stopWritesPct: o.stopWritesPct, logger,
    // RAM-backed devices serve reads directly; a post-write queue would only copy.
    postWriteQueue: o.storageEngine === 'memory' ? 0 : o.postWriteQueue,
  });
  const { log, rebuilt } = await openLogAndIndex(o, storage, rootLogger, logger);
  hlc.observe(Math.max(rebuilt.maxLut, log.lastLut()));
  let ns!: Namespace;
  const defrag = new Defragger(storage, {
    liveSlotAt: (buf, at, dev, offset) => ns.liveSlotAt(buf, at, dev, offset),
    moved: (slot, dev, offset) => ns.moved(slot, dev, offset),
  }, { lwmPct: o.defragLwmPct, logger });
  storage.onLowSpace = () => defrag.assist();
  storage.onSealed = (block) => defrag.consider(block);
  const report = reportStart(o, rebuilt, log, lastWriteMs);
  if (report.lost !== undefined) logger.warn({ startReport: report }, describeStartReport(report));
  else logger.info({ startReport: report }, describeStartReport(report));
  // A start that lost acknowledged changes books its counter increments under a new key.
  const incarnation = report.lost !== undefined ? nextIncarnation(o.dir) : readIncarnation(o.dir);
  ns = new Namespace({ options: o, index: rebuilt.index, storage, defrag, log, hlc, regionId, counterContributor: counterContributor(regionId, incarnation), logger });
  const changeEventsAppended = reconcileChangeLog(o.name, rebuilt.index, log, rebuilt.missingEvents, logger);
  if (changeEventsAppended > 0) await log.sync();
  storage.start();
  defrag.considerAll();

  let closed = false;
  let nsupRunning: Promise<unknown> | null = null;
  const nsup = () => {
    const run = runNsup(ns, () => closed);
    nsupRunning = run.finally(() => (nsupRunning = null));
    return run;
  };
  const nsupTimer = o.nsupPeriod > 0 ? setInterval(() => { if (nsupRunning === null) void nsup().catch((err) => logger.error({ err }, 'nsup cycle failed')); }, o.nsupPeriod * 1000) : null;
  nsupTimer?.unref();

  const close = async () => {
    if (closed) return;
    closed = true;
    if (nsupTimer) clearInterval(nsupTimer);
    defrag.stop();
    if (nsupRunning) await nsupRunning.catch(() => {});
    await storage.close();
    await log.close();
    const stamp = randomInt(1, 2 ** 47);
    if (o.storageEngine === 'device' || o.persist) {
      if (o.storageEngine === 'memory') saveMemoryDevice(devices[0] as MemoryDevice, path.join(o.dir, MEMORY_FILE));
      await ns.index.save(path.join(o.dir, INDEX_FILE), stamp);
      writeMarker(o.dir, {
        format: 1, stamp, nextSeq: storage.nextSeq, writeBlockSize: o.writeBlockSize,
        devices: devices.map((d) => d.name), deviceBytes: storage.blocks.blocksPerDevice * o.writeBlockSize,
      });
    }
    logger.info({ records: ns.index.count }, 'namespace closed cleanly');
  };
  const { index: _index, missingEvents: _missing, ...recoveryInfo } = rebuilt;
  return { ns, recovery: { ...recoveryInfo, changeEventsAppended }, startReport: report, close, nsup };
}

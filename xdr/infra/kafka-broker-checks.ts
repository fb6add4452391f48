/**
 * Checks KafkaBroker makes about what it is about to start: that no broker
 * started outside xdrgate owns the log dir, and that a broker answers on the
 * client port.
 */
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { XdrError } from '../errors.js';
import { describeProcess, pidAlive, posixLockHolders, processCommand } from '../process/index.js';

/**
 * Throws XDR_ERR_DIR_LOCKED when a live process other than `ownPid` holds
 * Kafka's own lock, `<log dir>/.lock` (a POSIX lock the JVM takes; /proc/locks
 * shows it): a broker started outside xdrgate on the same dir, whose storage a
 * format or a second broker would corrupt.
 */
export function assertNoForeignBroker(logDir: string, brokerName: string, ownPid: number | undefined): void {
  const holders = posixLockHolders(path.join(logDir, '.lock')).filter((pid) => pid !== ownPid && pidAlive(pid));
  if (holders.length === 0) return;
  const who = holders.map((pid) => describeProcess({ pid, command: processCommand(pid) })).join(', ');
  throw new XdrError(
    'XDR_ERR_DIR_LOCKED',
    `${logDir} is in use by a running Kafka broker, ${who}; formatting or starting on it would corrupt its storage. Stop that broker, or give broker ${brokerName} another data dir.`,
    { dir: logDir, holders },
  );
}

/** One metadata round trip; returns how many brokers the cluster reports. */
export async function describeCluster(brokers: string[]): Promise<number> {
  const kafka = new Kafka({
    clientId: 'xdrgate-infra-ready-check',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

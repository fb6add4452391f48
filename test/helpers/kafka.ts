/**
 * Real Kafka for tests. Under `npm test` the runner starts one broker per region
 * and exports XDRGATE_KAFKA_TOKYO / XDRGATE_KAFKA_VIRGINIA (host:port, comma-
 * separated if several); every test file shares them and isolates itself with
 * random topic names. When a developer runs one file directly
 * (`node --import tsx --test test/integration/x/y.test.ts`) those variables are
 * absent and the first call starts a broker for this test process, killed when
 * the process exits.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { KafkaBroker, type KafkaBrokerOptions } from '../../xdr/infra/index.js';
import { defer, type CleanupScope } from './cleanup.js';

export type Region = 'tokyo' | 'virginia';

const ENV_BY_REGION: Record<Region, string> = {
  tokyo: 'XDRGATE_KAFKA_TOKYO',
  virginia: 'XDRGATE_KAFKA_VIRGINIA',
};

/** Log level of infra started by helpers: $XDRGATE_TEST_LOG_LEVEL, silent by default so test output stays readable. */
export function infraLogger(): Logger {
  return pino({ level: process.env.XDRGATE_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));
}

const processBrokers = new Map<Region, Promise<KafkaBroker>>();

/** Bootstrap servers of the region's broker (kafkajs `brokers` option). */
export async function kafkaBrokers(region: Region = 'tokyo'): Promise<string[]> {
  const fromEnv = process.env[ENV_BY_REGION[region]];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv.split(',').map((s) => s.trim());
  let broker = processBrokers.get(region);
  if (broker === undefined) {
    broker = startProcessBroker(region);
    processBrokers.set(region, broker);
  }
  return (await broker).brokers;
}

async function startProcessBroker(region: Region): Promise<KafkaBroker> {
  // unref: the broker must not keep the test process alive; the exit hook of
  // xdr/infra kills it when the tests are done.
  const broker = await KafkaBroker.start({ name: region, unref: true, logger: infraLogger() });
  const dataDir = broker.dataDir;
  process.once('exit', () => {
    try {
      rmSync(dataDir, { recursive: true, force: true });
    } catch {
      // The JVM may still be writing as it dies; a leftover temp dir is harmless.
    }
  });
  return broker;
}

/** A topic name no other test uses: `<prefix>-<12 hex chars>`. */
export function randomTopic(prefix = 'xdrgate-test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A kafkajs client that does not log (tests assert; they do not read client logs). */
export function kafkaClient(brokers: string[], clientId = 'xdrgate-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

export interface CreateTopicOptions {
  /** @default 1 */
  numPartitions?: number;
  configEntries?: ITopicConfig['configEntries'];
}

/** Creates `topic` (replication factor 1) and waits until its partitions have leaders. */
export async function createTopic(brokers: string[], topic: string, options: CreateTopicOptions = {}): Promise<string> {
  const admin = kafkaClient(brokers, 'xdrgate-test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: options.numPartitions ?? 1, replicationFactor: 1, configEntries: options.configEntries }],
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/**
 * A broker of its own for a test that stops, kills or restarts it (fault tests);
 * never do that to the shared region brokers. Closed (and its data removed) when
 * the test ends.
 */
export async function startDedicatedBroker(t: CleanupScope, options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const broker = await KafkaBroker.start({ name: 'dedicated', logger: infraLogger(), ...options });
  defer(t, () => broker.close());
  return broker;
}

/**
 * Every kafkajs object of the pipeline is made here, from a RegionSpec, with
 * the settings the pipeline relies on. kafkajs defaults that we change, and why:
 *
 * Producer (shipping):
 * - idempotent: true, maxInFlightRequests: 1 — a retried batch is written once
 *   and per-partition order holds.
 * - retry.retries: 5 (kafkajs makes it infinite for idempotent producers). The
 *   shipper's own loop retries forever with backoff; a bounded kafkajs retry
 *   keeps stop() and the `retries`/`state` stats responsive during an outage.
 *   Duplicates that this may cause are harmless: applying a version twice
 *   changes nothing.
 * - acks: -1 (all) per send, explicit partitions, so the partitioner is unused
 *   (DefaultPartitioner is named only to silence kafkajs's v2 warning).
 *
 * Consumer (receiving):
 * - maxWaitTimeInMs: 500 (default 5000): the broker answers a fetch at once when
 *   data arrives (minBytes 1), so this bounds only idle fetches: how long a stop
 *   or a rebalance waits for the fetch in flight. At 100 ms, kafkajs building and
 *   parsing ten fetches a second of every partition was most of an idle region's
 *   CPU (~3.5 % of a core in bench:xdr-lag --idle-profile); 500 ms fetches a
 *   fifth as often (docs/benchmarks.md has the idle CPU before and after).
 * - sessionTimeout: 10000 (default 30000), heartbeatInterval: 1000 (3000),
 *   rebalanceTimeout: 10000 (60000): a receiver that crashed is replaced in
 *   seconds, not half a minute.
 * - allowAutoTopicCreation: false: topics are created explicitly, with the
 *   partition count the shipper's partitioning assumes.
 */
import { Kafka, Partitioners, logLevel as KafkaLogLevel, type Consumer, type KafkaConfig, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { type RegionSpec } from '../../replication-protocol/index.js';

/**
 * What kafkajs reports at ERROR while a broker, a group coordinator or a new
 * topic is still getting ready: every start meets them and kafkajs retries
 * them itself, so they are not errors of ours. Matched on the message or the
 * error text kafkajs logs.
 */
const EXPECTED_WHILE_STARTING: readonly RegExp[] = [
  /coordinator is loading/i,
  /coordinator is not available/i,
  /not the correct coordinator/i,
  /group is rebalancing/i,
  /no leader for this topic-partition/i,
  /leader is not available/i,
  /does not host this topic-partition/i,
  /Cannot read properties of undefined \(reading 'release'\)/,
  // The notice after a consumer's crash: the crash itself is logged just before, at its own level
  // (an error unless it is one of the conditions above), so the notice adds nothing to alert on.
  /^Restarting the consumer in \d+ms/,
];

/** The pino level of a kafkajs log entry: its own, but expected start-up conditions at info. */
export function kafkaEntryLevel(level: KafkaLogLevel, message: string, error: unknown): 'error' | 'warn' | 'info' | 'debug' {
  if (level === KafkaLogLevel.ERROR || level === KafkaLogLevel.WARN) {
    const text = `${message} ${typeof error === 'string' ? error : ''}`;
    if (EXPECTED_WHILE_STARTING.some((re) => re.test(text))) return 'info';
    return level === KafkaLogLevel.ERROR ? 'error' : 'warn';
  }
  return 'debug';
}

/** Bridges kafkajs's logger into pino (style: one root logger). kafkajs INFO is chatty, so it maps to debug. */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      logger[kafkaEntryLevel(level, message, (extra as { error?: unknown }).error)](fields, message);
    };
}

function kafkaLevelFor(logger: Logger): KafkaLogLevel {
  return logger.isLevelEnabled('debug') ? KafkaLogLevel.INFO : KafkaLogLevel.WARN;
}

/** The kafkajs client options of a region (TLS and SASL from its config pass through here). */
export function kafkaConfig(region: RegionSpec, logger: Logger, clientSuffix: string): KafkaConfig {
  const log = logger.child({ module: 'kafkajs', kafkaRegion: region.name });
  const config: KafkaConfig = {
    clientId: `${region.kafka.clientId ?? 'xdrgate'}-${clientSuffix}`,
    brokers: region.kafka.brokers,
    logLevel: kafkaLevelFor(log),
    logCreator: kafkaLogCreator(log),
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    connectionTimeout: 3000,
  };
  if (region.kafka.ssl) config.ssl = true;
  if (region.kafka.sasl) config.sasl = { mechanism: region.kafka.sasl.mechanism, username: region.kafka.sasl.username, password: region.kafka.sasl.password } as SASLOptions;
  return config;
}

export function createKafka(region: RegionSpec, logger: Logger, clientSuffix: string): Kafka {
  return new Kafka(kafkaConfig(region, logger, clientSuffix));
}

export function createShipProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export function createDeadLetterProducer(kafka: Kafka): Producer {
  return kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
}

export interface ConsumerTuning {
  /** @default 500 */
  maxWaitTimeInMs?: number;
  /** @default 10000 */
  sessionTimeoutMs?: number;
}

export function createReceiveConsumer(kafka: Kafka, destination: string, tuning: ConsumerTuning = {}): Consumer {
  return kafka.consumer({
    groupId: `xdr-${destination}`,
    maxWaitTimeInMs: tuning.maxWaitTimeInMs ?? 500,
    minBytes: 1,
    sessionTimeout: tuning.sessionTimeoutMs ?? 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 1000,
    allowAutoTopicCreation: false,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
  });
}

/**
 * The files a single-node KRaft broker runs from, as pure text. One process is
 * both broker and controller ("combined mode"), which is fine for tests and the
 * local topology and halves the JVMs per region.
 */

export interface BrokerConfigInput {
  host: string;
  port: number;
  controllerPort: number;
  /** Kafka's log.dirs: where partitions and the metadata log live. */
  logDir: string;
  /** Default partition count of topics created without one. */
  numPartitions: number;
  /** Extra or overriding server.properties entries. */
  overrides: Readonly<Record<string, string | number | boolean>>;
}

export function serverProperties(input: BrokerConfigInput): string {
  const entries: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `${input.host}:${input.controllerPort}`,
    listeners: `PLAINTEXT://${input.host}:${input.port},CONTROLLER://${input.host}:${input.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${input.host}:${input.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': input.logDir,
    'num.partitions': input.numPartitions,
    // One node: every internal topic must fit on it.
    'offsets.topic.replication.factor': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    // Consumer groups should form at once; the default 3 s wait exists for many-member groups.
    'group.initial.rebalance.delay.ms': 0,
    // The pipeline creates its topics explicitly; a typo must fail, not create a topic.
    'auto.create.topics.enable': false,
    // Fewer threads than the defaults: two brokers share two cores with the tests.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 4,
    // After a crash (kill -9) the restarted node finds its own old registration,
    // which the controller treats as alive until its session times out (9 s by
    // default), and refuses the new one until then. A 3 s session bounds that
    // wait; heartbeats are loopback calls inside one process, so 500 ms is cheap.
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 3_000,
    // Fast clean shutdown: a single node has no partitions to hand over.
    'controlled.shutdown.enable': true,
    ...input.overrides,
  };
  const lines = Object.entries(entries).map(([key, value]) => `${key}=${escapeValue(String(value))}`);
  return `# Written by xdrgate (xdr/infra/kafka-config.ts)\n${lines.join('\n')}\n`;
}

/** Java properties files treat backslashes as escapes (Windows-style paths, mostly). */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export type BrokerLogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

/**
 * Log4j 2 configuration: everything to stdout (which the launcher sends to a file
 * in the data dir) at `level`, plus the one INFO line per start that says the
 * server is up, so a log tail always shows how far start-up got. The request and
 * state-change loggers are the chatty ones and stay at WARN.
 */
export function log4j2Properties(level: BrokerLogLevel): string {
  return `# Written by xdrgate (xdr/infra/kafka-config.ts)
status = error
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ${level}
rootLogger.appenderRef.stdout.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
logger.requests.name = kafka.request.logger
logger.requests.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
`;
}

/** A KRaft cluster id: 16 random bytes in URL-safe base64, as Kafka's Uuid prints them. */
export function clusterIdFrom(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError('a cluster id needs exactly 16 bytes');
  // Kafka refuses ids whose text starts with '-' (they parse as options); clear
  // the top bit pattern that produces it, keeping the id random otherwise.
  const copy = Uint8Array.from(bytes);
  copy[0] = copy[0]! & 0x7f;
  return Buffer.from(copy).toString('base64url');
}

/**
 * ReceiveTransport over kafkajs. xdr/ creates the kafkajs objects (consumer
 * settings tuned for latency there) and passes a factory, because kafkajs
 * cannot change the subscriptions of a running consumer: a new topic set means
 * a new consumer in the same group.
 */
import type { Consumer, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { errorNote } from '../errors/index.js';
import type { BatchHandler, ConsumerStatus, DeadLetter, ReceiveTransport } from './transport.js';

export interface KafkaReceiveTransportOptions {
  /** A new, unconnected consumer of the source Kafka, in this destination's group. */
  createConsumer: () => Consumer;
  /** A producer of the SOURCE Kafka (where `<topic>.dlq` lives). */
  deadLetterProducer: Producer;
  logger: Logger;
  /** Partitions handled at once (each still strictly in order). @default 4 */
  partitionsConsumedConcurrently?: number;
  /** Delay before re-creating a consumer that crashed for good. @default 1000 */
  restartDelayMs?: number;
  /** Longest time a resolved offset waits before it is committed. @default 500 */
  commitIntervalMs?: number;
  /** @default Date.now */
  nowMs?: () => number;
}

export class KafkaReceiveTransport implements ReceiveTransport {
  private readonly o: KafkaReceiveTransportOptions;
  private readonly log: Logger;
  private consumer: Consumer | null = null;
  private topics: string[] = [];
  private handler: BatchHandler | null = null;
  private stopped = false;
  private producerConnected: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Commits every offset the running consumer resolved (set by its first batch; null when none ran). */
  private commitResolved: (() => Promise<void>) | null = null;
  private readonly current: ConsumerStatus = { state: 'connecting', last_error: null };

  constructor(o: KafkaReceiveTransportOptions) {
    this.o = o;
    this.log = o.logger.child({ module: 'receiver-kafka' });
    o.deadLetterProducer.on('producer.disconnect', () => {
      this.producerConnected = null;
    });
  }

  async start(topics: string[], handler: BatchHandler): Promise<void> {
    this.topics = topics;
    this.handler = handler;
    this.stopped = false;
    await this.startConsumer();
  }

  status(): ConsumerStatus {
    return { state: this.current.state, last_error: this.current.last_error };
  }

  private failed(err: unknown): void {
    this.current.state = 'failing';
    this.current.last_error = errorNote(err, (this.o.nowMs ?? Date.now)(), 'RECV_ERR_CONSUMER_FAILED');
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.o.createConsumer();
    this.consumer = consumer;
    this.commitResolved = null;
    if (this.current.state !== 'failing') this.current.state = 'connecting';
    // A member of its group again (after a start, a restart or a rebalance): it fetches.
    consumer.on('consumer.group_join', () => {
      if (this.consumer === consumer) this.current.state = 'joined';
    });
    consumer.on('consumer.crash', (event) => {
      const payload = event.payload as { error: Error; restart: boolean };
      if (this.stopped || this.consumer !== consumer) return;
      // kafkajs restarts the consumer itself after a retriable crash; it reads joined again once back in the group.
      this.failed(payload.error);
      if (payload.restart) return;
      this.log.error({ err: payload.error, code: 'RECV_ERR_CONSUMER_FAILED' }, 'consumer crashed for good; re-creating it');
      this.scheduleRestart(consumer);
    });
    try {
      await consumer.connect();
      // A new group starts at the earliest offset: what was shipped before this
      // region's receiver first ran must still arrive.
      await consumer.subscribe({ topics: this.topics, fromBeginning: true });
      const handler = this.handler!;
      await consumer.run({
        // Not kafkajs's autoCommit: with eachBatch it commits after EVERY batch
        // (runner.js, whatever autoCommitInterval says), a broker round trip between
        // a batch and the next fetch; at 10k messages/s that was one OffsetCommit per
        // 3–40 messages. Resolved offsets are committed here at most every
        // commitIntervalMs, and all of them when stopping. A crash redelivers up to
        // that much, which re-applies as identical: harmless (at-least-once).
        autoCommit: false,
        autoCommitInterval: this.o.commitIntervalMs ?? 500,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently ?? 4,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets }) => {
          this.commitResolved = () => commitOffsetsIfNecessary(uncommittedOffsets());
          await handler(
            {
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: batch.highWatermark,
              messages: batch.messages.map((m) => ({ offset: m.offset, key: m.key, value: m.value, timestampMs: Number(m.timestamp) })),
            },
            { resolveOffset, heartbeat, isActive: () => isRunning() && !isStale() },
          );
          // While stopping, commit everything resolved: kafkajs leaves the group right after the last batch.
          if (this.stopped) await this.commitResolved();
          else await commitOffsetsIfNecessary();
        },
      });
    } catch (err) {
      // The source Kafka is unreachable (WAN down, broker restarting): keep trying in the background.
      this.failed(err);
      this.log.warn({ err, topics: this.topics }, 'consumer did not start; retrying');
      this.scheduleRestart(consumer);
    }
  }

  private scheduleRestart(failed: Consumer): void {
    if (this.stopped || this.restartTimer !== null) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void failed
        .disconnect()
        .catch(() => undefined)
        .then(() => (this.stopped ? undefined : this.startConsumer()));
    }, this.o.restartDelayMs ?? 1000);
  }

  async deadLetter(letter: DeadLetter): Promise<void> {
    try {
      this.producerConnected ??= this.o.deadLetterProducer.connect();
      await this.producerConnected;
    } catch (err) {
      this.producerConnected = null;
      throw err;
    }
    await this.o.deadLetterProducer.send({
      topic: letter.topic,
      acks: -1,
      messages: [
        {
          key: letter.key,
          value: letter.value,
          headers: {
            'xdr-reason': letter.reason,
            'xdr-source-topic': letter.sourceTopic,
            'xdr-source-partition': String(letter.sourcePartition),
            'xdr-source-offset': letter.sourceOffset,
          },
        },
      ],
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer !== null) {
      // Offsets resolved since the last interval commit; a batch still running commits its own at its end (stopped is set).
      await this.commitResolved?.().catch((err: unknown) => this.log.warn({ err }, 'committing resolved offsets at stop failed; they are redelivered'));
      // disconnect() stops fetching, waits for the running batch and leaves the group.
      await consumer.disconnect().catch((err: unknown) => this.log.warn({ err }, 'consumer disconnect failed'));
    }
    this.commitResolved = null;
  }
}

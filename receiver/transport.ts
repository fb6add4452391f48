/**
 * The seam between the receiver and Kafka: batches of one topic partition in,
 * offsets resolved only after their messages were applied, dead letters out.
 * The kafkajs adapter is kafka-transport.ts; unit tests use in-memory ones.
 */
import type { ErrorNote } from '../errors/index.js';

export interface InboundMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Kafka record timestamp (ms): the source lut's physical time. */
  timestampMs: number;
}

export interface InboundBatch {
  topic: string;
  partition: number;
  /** Offset the next produced message will get (kafkajs highWatermark), for the consumer offset lag. */
  highWatermark: string;
  messages: InboundMessage[];
}

export interface BatchControl {
  /** Marks a message done; the transport commits resolved offsets (never unresolved ones). */
  resolveOffset(offset: string): void;
  /** Keeps the group membership alive during a long batch. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or was rebalanced away: stop handling this batch. */
  isActive(): boolean;
}

export type BatchHandler = (batch: InboundBatch, control: BatchControl) => Promise<void>;

export interface DeadLetter {
  /** The dead-letter topic (`<topic>.dlq`). */
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  /** `<code>: <message>`. */
  reason: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
}

/**
 * Where a transport's consumer stands: `connecting` until it has joined its
 * group (after a start or a restart), `joined` while it is a member (it
 * fetches), `failing` after a crash or a start that failed, until it joins again.
 */
export type ConsumerState = 'connecting' | 'joined' | 'failing';

export interface ConsumerStatus {
  state: ConsumerState;
  /** The newest failure (crash, failed start), kept after recovery; `state` says whether it still fails. */
  last_error: ErrorNote | null;
}

export interface ReceiveTransport {
  /** Starts consuming `topics` (all of one source Kafka) and calls `handler` per partition batch, one at a time per partition. */
  start(topics: string[], handler: BatchHandler): Promise<void>;
  /** Where the consumer stands; transports that cannot tell leave it out. */
  status?(): ConsumerStatus;
  /** Produces to the dead-letter topic; resolves once acknowledged. */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** Stops consuming; resolved offsets are committed first. */
  stop(): Promise<void>;
}

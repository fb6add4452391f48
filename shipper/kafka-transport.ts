/**
 * ShipTransport over kafkajs. It takes an already-created Producer and Admin
 * (xdr/ creates every kafkajs instance, idempotent with acks = all) and only
 * moves bytes: sendBatch of one topic's messages with explicit partitions,
 * digest keys and lut timestamps.
 */
import type { Admin, Message, Producer } from 'kafkajs';
import { ShipError } from './errors.js';
import { kafkaRefusal } from './kafka-refusal.js';
import type { OutboundMessage, ShipTransport } from './transport.js';

/** kafkajs supports gzip natively; snappy, lz4 and zstd need codec packages registered by the caller. */
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** kafkajs's CompressionTypes values (a const enum of a CJS module, spelled out to avoid a runtime import). */
const COMPRESSION_CODE: Record<Compression, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export interface KafkaShipTransportOptions {
  /** Connected or not; the transport connects it on first use and after a disconnect. */
  producer: Producer;
  /** For partition counts. */
  admin: Admin;
  /** @default 'none' (loopback and LAN; use gzip across a WAN) */
  compression?: Compression;
  /** Broker-side wait for acks from all in-sync replicas. @default 30000 */
  ackTimeoutMs?: number;
}

export class KafkaShipTransport implements ShipTransport {
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly compression: number;
  private readonly ackTimeoutMs: number;
  private producerConnected: Promise<void> | null = null;
  private adminConnected: Promise<void> | null = null;

  constructor(o: KafkaShipTransportOptions) {
    this.producer = o.producer;
    this.admin = o.admin;
    this.compression = COMPRESSION_CODE[o.compression ?? 'none'];
    this.ackTimeoutMs = o.ackTimeoutMs ?? 30_000;
    this.producer.on('producer.disconnect', () => {
      this.producerConnected = null;
    });
  }

  async partitionCount(topic: string): Promise<number> {
    try {
      this.adminConnected ??= this.admin.connect();
      await this.adminConnected;
      const meta = await this.admin.fetchTopicMetadata({ topics: [topic] });
      const count = meta.topics[0]?.partitions.length ?? 0;
      if (count === 0) throw new Error(`topic ${topic} has no partitions`);
      return count;
    } catch (err) {
      this.adminConnected = null;
      throw new ShipError('SHIP_ERR_TOPIC_UNAVAILABLE', `cannot read the partitions of topic ${topic}: ${(err as Error).message}`, { topic }, { cause: err });
    }
  }

  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    const kafkaMessages: Message[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      kafkaMessages[i] = { key: m.key.length > 0 ? m.key : null, value: m.value, partition: m.partition, timestamp: String(m.timestampMs) };
    }
    try {
      this.producerConnected ??= this.producer.connect();
      await this.producerConnected;
      await this.producer.sendBatch({ topicMessages: [{ topic, messages: kafkaMessages }], acks: -1, timeout: this.ackTimeoutMs, compression: this.compression });
    } catch (err) {
      // A failed connect must be retried by the next send, not remembered.
      this.producerConnected = null;
      const refusal = kafkaRefusal(err);
      if (refusal !== undefined) {
        throw new ShipError('SHIP_ERR_SEND_REJECTED', `Kafka refused ${messages.length} messages to ${topic} with ${refusal}: ${(err as Error).message}`, { topic, records: messages.length, kafkaError: refusal }, { cause: err });
      }
      throw new ShipError('SHIP_ERR_SEND_FAILED', `Kafka did not acknowledge ${messages.length} messages to ${topic}: ${(err as Error).message}`, { topic, records: messages.length }, { cause: err });
    }
  }
}

/**
 * A kafkajs producer in a worker thread. Shipping is CPU-bound on one thread:
 * per record the shipper reads and encodes (~10 µs) and kafkajs builds record
 * batches and CRC32Cs (about as much again). With the producer in a worker the
 * two halves run on two cores (bench/xdr.bench.ts measures the difference).
 *
 * The worker's code is a CommonJS string run with `eval: true`, so the same
 * file works under tsx and from the compiled dist/ build (a separate worker
 * file would need a loader in the worker, which Node 20 does not pass on).
 * kafkajs is resolved by the main thread and its absolute path handed over.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Admin, KafkaConfig } from 'kafkajs';
import type { Logger } from 'pino';
import { ShipError, type OutboundMessage, type ShipTransport } from '../../shipper/index.js';
import { kafkaConfig } from './kafka-clients.js';
import { packBatch } from './packed-batch.js';
import { type RegionSpec } from '../../replication-protocol/index.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Kafka, Partitioners } = require(workerData.kafkajsPath);
const cfg = workerData.kafka;
const kafka = new Kafka({
  ...cfg,
  logCreator: () => ({ namespace, level, log }) => {
    const { message, timestamp, logger, ...extra } = log;
    parentPort.postMessage({ log: { level, namespace, message, extra: JSON.parse(JSON.stringify(extra)) } });
  },
});
const producer = kafka.producer({ ...workerData.producer, createPartitioner: Partitioners.DefaultPartitioner });
let connected = null;
producer.on('producer.disconnect', () => { connected = null; });
parentPort.on('message', async (m) => {
  try {
    if (m.op === 'send') {
      connected = connected || producer.connect();
      await connected;
      // One transferred batch (packed-batch.ts): views into it, no copies.
      const bytes = Buffer.from(m.bytes);
      const meta = new Float64Array(m.meta);
      const messages = new Array(m.count);
      for (let i = 0, j = 0; i < m.count; i++, j += 5) {
        const keyAt = meta[j], valueAt = meta[j + 1], valueEnd = meta[j + 2];
        messages[i] = {
          key: keyAt === valueAt ? null : bytes.subarray(keyAt, valueAt),
          value: bytes.subarray(valueAt, valueEnd),
          partition: meta[j + 3],
          timestamp: String(meta[j + 4]),
        };
      }
      await producer.sendBatch({ topicMessages: [{ topic: m.topic, messages }], acks: -1, timeout: m.ackTimeoutMs, compression: m.compression });
    } else if (m.op === 'close') {
      await producer.disconnect().catch(() => {});
    }
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    connected = null;
    parentPort.postMessage({ id: m.id, error: { message: String((err && err.message) || err), retriable: Boolean(err && err.retriable), type: err && err.type } });
  }
});
`;

/** Producer settings sent to the worker (plain data: functions cannot cross threads). */
const PRODUCER_SETTINGS = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
};

/**
 * The worker's kafkajs client options: kafkaConfig()'s, so TLS, SASL, retry and
 * timeouts can never differ from the main-thread clients'. Only the log creator
 * is left out (a function cannot cross threads); the worker bridges its logs
 * back over the message port instead.
 */
export function workerKafkaOptions(region: RegionSpec, logger: Logger, clientSuffix: string): Omit<KafkaConfig, 'logCreator'> {
  const { logCreator: _bridgedByWorker, ...plain } = kafkaConfig(region, logger, clientSuffix);
  return plain;
}

const COMPRESSION_CODE = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

interface Pending {
  resolve(): void;
  reject(err: Error): void;
}

export interface WorkerProducerOptions {
  region: RegionSpec;
  /** For partition counts (metadata stays on the main thread; it is asked once per route). */
  admin: Admin;
  logger: Logger;
  clientSuffix: string;
  compression?: keyof typeof COMPRESSION_CODE;
  ackTimeoutMs?: number;
}

/** ShipTransport whose sends run in a worker thread (one worker per source region, shared by its routes). */
export class WorkerShipTransport implements ShipTransport {
  private worker: Worker | null = null;
  private readonly workerData: Record<string, unknown>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly o: WorkerProducerOptions) {
    this.log = o.logger.child({ module: 'kafkajs', kafkaRegion: o.region.name, thread: 'producer-worker' });
    const kafka = workerKafkaOptions(o.region, o.logger, o.clientSuffix);
    const kafkajsPath = createRequire(import.meta.url).resolve('kafkajs');
    this.workerData = { kafkajsPath, kafka, producer: PRODUCER_SETTINGS };
  }

  /** The worker, started on first use and again after it died (its pending sends failed and are retried by the shipper). */
  private live(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.workerData });
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { id?: number; ok?: boolean; error?: { message: string; retriable: boolean; type?: string }; log?: { level: number; namespace: string; message: string; extra: Record<string, unknown> } }) => {
      if (m.log !== undefined) {
        const fields = { kafkajs: m.log.namespace, ...m.log.extra };
        // kafkajs levels: 1 error, 2 warn, 4 info, 5 debug.
        if (m.log.level === 1) this.log.error(fields, m.log.message);
        else if (m.log.level === 2) this.log.warn(fields, m.log.message);
        else this.log.debug(fields, m.log.message);
        return;
      }
      const p = this.pending.get(m.id!);
      if (p === undefined) return;
      this.pending.delete(m.id!);
      if (m.ok) p.resolve();
      else p.reject(Object.assign(new Error(m.error!.message), { retriable: m.error!.retriable, type: m.error!.type }));
    });
    worker.on('error', (err) => this.log.error({ err }, 'producer worker failed'));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.closed) this.log.warn({ code }, 'producer worker exited; a new one starts with the next send');
      for (const p of this.pending.values()) p.reject(new Error(`producer worker exited (code ${code})`));
      this.pending.clear();
    });
    return worker;
  }

  private call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new Error('producer worker closed'));
    const id = this.nextId++;
    const worker = this.live();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  async partitionCount(topic: string): Promise<number> {
    try {
      await this.o.admin.connect();
      const meta = await this.o.admin.fetchTopicMetadata({ topics: [topic] });
      const count = meta.topics[0]?.partitions.length ?? 0;
      if (count === 0) throw new Error(`topic ${topic} has no partitions`);
      return count;
    } catch (err) {
      throw new ShipError('SHIP_ERR_TOPIC_UNAVAILABLE', `cannot read the partitions of topic ${topic}: ${(err as Error).message}`, { topic }, { cause: err });
    }
  }

  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    const batch = packBatch(messages);
    try {
      await this.call({ op: 'send', topic, ...batch, ackTimeoutMs: this.o.ackTimeoutMs ?? 30_000, compression: COMPRESSION_CODE[this.o.compression ?? 'none'] }, [batch.bytes, batch.meta]);
    } catch (err) {
      throw new ShipError('SHIP_ERR_SEND_FAILED', `Kafka did not acknowledge ${messages.length} messages to ${topic}: ${(err as Error).message}`, { topic, records: messages.length }, { cause: err });
    }
  }

  /** Disconnects the producer and ends the worker; pending sends fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.worker !== null) await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker?.terminate();
    for (const p of this.pending.values()) p.reject(new Error('producer worker closed'));
    this.pending.clear();
  }
}

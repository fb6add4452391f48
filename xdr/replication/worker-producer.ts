/**
 * A kafkajs producer in a worker thread. Shipping is CPU-bound on one thread:
 * per record the shipper reads and encodes (~10 µs) and kafkajs builds record
 * batches and CRC32Cs (about as much again). With the producer in a worker the
 * two halves run on two cores (bench/xdr.bench.ts measures the difference).
 *
 * The worker runs producer-worker.ts: the main thread's own transport code and
 * producer settings, typed. From the compiled build it is the .js file beside
 * this one; from the TypeScript sources (tests, `XDRGATE_FROM_SOURCE`) a
 * one-line bootstrap registers tsx in the worker first, because Node 20 does
 * not pass a loader on to worker threads.
 */
import { Worker } from 'node:worker_threads';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { ShipError, type Compression, type OutboundMessage, type ShipErrorCode, type ShipTransport } from '../../shipper/index.js';
import { packBatch } from './packed-batch.js';
import { type RegionSpec } from '../../replication-protocol/index.js';
import type { FromWorker, ProducerWorkerData, SentError, ToWorker } from './worker-messages.js';

/** Starts producer-worker.ts (or its compiled .js) in a new thread. */
function startProducerWorker(data: ProducerWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './producer-worker.ts' : './producer-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry.href)}))`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** The ShipError the worker sent back, rebuilt on this thread (its cause keeps kafkajs's retriable and type). */
function shipErrorFrom(sent: SentError): ShipError {
  const cause = sent.cause === undefined ? undefined : Object.assign(new Error(sent.cause.message), { retriable: sent.cause.retriable, type: sent.cause.type });
  return new ShipError(sent.code as ShipErrorCode, sent.message, sent.details, { cause });
}

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
  compression?: Compression;
  ackTimeoutMs?: number;
}

/** ShipTransport whose sends run in a worker thread (one worker per source region, shared by its routes). */
export class WorkerShipTransport implements ShipTransport {
  private worker: Worker | null = null;
  private readonly workerData: ProducerWorkerData;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly o: WorkerProducerOptions) {
    this.log = o.logger.child({ thread: 'producer-worker' });
    this.workerData = { region: o.region, clientSuffix: o.clientSuffix, logLevel: o.logger.level, compression: o.compression ?? 'none', ackTimeoutMs: o.ackTimeoutMs ?? 30_000 };
  }

  /** The worker, started on first use and again after it died (its pending sends failed and are retried by the shipper). */
  private live(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startProducerWorker(this.workerData);
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if ('log' in m) return this.relayLog(m.log);
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve();
      else p.reject(shipErrorFrom(m.error));
    });
    worker.on('error', (err) => this.log.error({ err }, 'producer worker failed'));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.closed) this.log.warn({ code }, 'producer worker exited; a new one starts with the next send');
      for (const p of this.pending.values()) p.reject(new ShipError('SHIP_ERR_SEND_FAILED', `producer worker exited (code ${code}); the batch is sent again`, { code }));
      this.pending.clear();
    });
    return worker;
  }

  /** One pino line of the worker's, logged again by this thread's logger at its level. */
  private relayLog(line: string): void {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string } & Record<string, unknown>;
    const label = this.o.logger.levels.labels[level] ?? 'info';
    (this.log[label as 'info'] ?? this.log.info).call(this.log, fields, msg);
  }

  private call(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new ShipError('SHIP_ERR_SEND_FAILED', 'producer worker closed', {}));
    const worker = this.live();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      worker.postMessage(message, transfer);
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

  /** The worker's KafkaShipTransport.send; its ShipError comes back as it was thrown there. */
  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    const batch = packBatch(messages);
    await this.call({ op: 'send', topic, ...batch, id: this.nextId++ }, [batch.bytes, batch.meta]);
  }

  /** Disconnects the producer and ends the worker; pending sends fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.worker !== null) await this.call({ op: 'close', id: this.nextId++ }).catch(() => undefined);
    this.closed = true;
    await this.worker?.terminate();
    for (const p of this.pending.values()) p.reject(new ShipError('SHIP_ERR_SEND_FAILED', 'producer worker closed', {}));
    this.pending.clear();
  }
}

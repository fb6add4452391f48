/**
 * What the main thread and the producer worker (worker-producer.ts,
 * producer-worker.ts) say to each other. Plain data only: it crosses threads
 * by structured clone, batches as two transferred buffers (packed-batch.ts).
 */
import type { RegionSpec } from '../../replication-protocol/index.js';
import type { Compression } from '../../shipper/index.js';
import type { PackedBatch } from './packed-batch.js';

/** Everything the worker builds its Kafka client, producer and transport from. */
export interface ProducerWorkerData {
  region: RegionSpec;
  clientSuffix: string;
  /** The main thread's pino level: the worker logs (and has kafkajs log) at the same one. */
  logLevel: string;
  compression: Compression;
  ackTimeoutMs: number;
}

export type ToWorker = ({ op: 'send'; topic: string } & PackedBatch & { id: number }) | { op: 'close'; id: number };

/** A ShipError that crossed the thread boundary, with its cause's message and kafkajs flags. */
export interface SentError {
  code: string;
  message: string;
  details: Record<string, unknown>;
  cause?: { message: string; retriable?: boolean; type?: string };
}

export type FromWorker =
  | { id: number; ok: true }
  | { id: number; ok: false; error: SentError }
  /** One pino JSON line the worker logged, for the main thread's logger. */
  | { log: string };

/**
 * The producer worker thread's program (worker-producer.ts starts it): the
 * main thread's transport code (shipper's KafkaShipTransport) over a producer
 * made by the same functions and settings as the main thread's
 * (kafka-clients.ts), fed the batches packed by packed-batch.ts. Its pino logs,
 * kafkajs's included, are handed to the main thread's logger line by line.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { KafkaShipTransport, isShipError } from '../../shipper/index.js';
import { registerCompressionCodecs } from './compression.js';
import { createKafka, createShipProducer } from './kafka-clients.js';
import { unpackBatch } from './packed-batch.js';
import type { FromWorker, ProducerWorkerData, SentError, ToWorker } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('producer-worker.ts runs as a worker thread (WorkerShipTransport starts it)');
const data = workerData as ProducerWorkerData;
const reply = (m: FromWorker): void => port.postMessage(m);

// This thread has its own kafkajs module and codec table: lz4 and zstd routes compress here too.
registerCompressionCodecs();
const logger = pino({ level: data.logLevel, base: null, timestamp: false }, { write: (line: string) => reply({ log: line }) });
const kafka = createKafka(data.region, logger, data.clientSuffix);
const producer = createShipProducer(kafka);
// The admin is never connected here: partition counts are asked on the main thread.
const transport = new KafkaShipTransport({ producer, admin: kafka.admin(), compression: data.compression, ackTimeoutMs: data.ackTimeoutMs });

function sent(err: unknown): SentError {
  const cause = (isShipError(err) ? err.cause : err) as { message?: unknown; retriable?: unknown; type?: unknown } | undefined;
  const out: SentError = isShipError(err)
    ? { code: err.code, message: err.message, details: err.details }
    : { code: 'SHIP_ERR_SEND_FAILED', message: String((err as Error)?.message ?? err), details: {} };
  if (cause !== undefined && cause !== null) {
    out.cause = { message: String(cause.message ?? cause) };
    if (typeof cause.retriable === 'boolean') out.cause.retriable = cause.retriable;
    if (typeof cause.type === 'string') out.cause.type = cause.type;
  }
  return out;
}

port.on('message', async (m: ToWorker) => {
  try {
    if (m.op === 'send') await transport.send(m.topic, unpackBatch(m));
    else await producer.disconnect().catch(() => undefined);
    reply({ id: m.id, ok: true });
  } catch (err) {
    reply({ id: m.id, ok: false, error: sent(err) });
  }
});

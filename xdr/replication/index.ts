/**
 * xdr/replication: wires shippers and the receiver of one region to Kafka.
 * The gateway (xdr/gateway-replication.ts) creates one Replication and drives
 * it through the route manager.
 */
export { Replication, PRODUCER_THREADS_DEFAULT, PRODUCER_IN_FLIGHT_BATCHES_DEFAULT, PRODUCER_IN_FLIGHT_BYTES_DEFAULT } from './replication.js';
export type { ReplicationOptions, ReplicationStats, RouteLag } from './replication.js';
export { loadResolver } from './resolvers.js';
export { WorkerShipTransport, type WorkerProducerOptions } from './worker-producer.js';
export { ensureRouteTopics, type TopicSetup } from './topics.js';
export { createKafka, kafkaConfig, createShipProducer, createDeadLetterProducer, createReceiveConsumer, kafkaEntryLevel, kafkaLogCreator, type ConsumerTuning } from './kafka-clients.js';
export { REPLICATION_ERRORS, ReplicationError, isReplicationError, type ReplicationErrorCode } from './errors.js';
export { ROUTE_COMPRESSIONS, CODEC_PACKAGES, availableCompressions, codecStatuses, missingCodecMessage, registerCompressionCodecs, type CodecStatus, type PackageLoader } from './compression.js';

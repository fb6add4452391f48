/**
 * xdr/infra: the local infrastructure xdrgate runs against in tests, CI,
 * benchmarks and the local topology: Apache Kafka provisioned from Maven Central,
 * single-node KRaft brokers, and Redis. The only door of this folder.
 */
export { KafkaBroker, type KafkaBrokerOptions } from './kafka-broker.js';
export {
  provisionKafka,
  kafkaDistPaths,
  kafkaVersion,
  cacheRoot,
  javaCommand,
  readProvisionMarker,
  type KafkaDist,
  type ProvisionOptions,
} from './kafka-dist.js';
export { KAFKA_VERSION_DEFAULT, kafkaPom, slf4jBindingArtifact } from './kafka-pom.js';
export { serverProperties, log4j2Properties, clusterIdFrom, type BrokerConfigInput, type BrokerLogLevel } from './kafka-config.js';
export { ensureRedis, pingRedis, REDIS_URL_DEFAULT, type EnsureRedisOptions, type RedisHandle } from './redis-server.js';
export { freePort, isPortOpen } from './free-port.js';
export { INFRA_ERRORS, InfraError, isInfraError, type InfraErrorCode } from './errors.js';
export { guardChild, terminate } from './child-guard.js';

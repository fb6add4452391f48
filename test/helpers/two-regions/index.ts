/**
 * The one two-region topology of the integration and fault tests: configs
 * derived from the shipped config/tokyo.yaml and config/virginia.yaml, a Kafka
 * per region, real gateway processes (topology.ts) or the same regions'
 * engines and pipelines in the test process (in-process.ts).
 */
export { ANTI_ENTROPY_OFF, NS, SESSIONS, SHIPPED_CONFIGS, root, routeName, type RegionKey, type TopologyOptions } from './region-config.js';
export { dedicatedRegionKafka, proxiedRegionKafka, sharedRegionKafka, type KafkaKind, type RegionKafka } from './region-kafka.js';
export { suiteKafka, type SuiteKafka } from './suite-kafka.js';
export { Topology, type CreateOptions, type Gateway, type RegionSetup } from './topology.js';
export { QUICK_PACE, converged, dump, inProcessRegions, receiveStatsOf, shipStatsOf, testLogger, type InProcessOptions, type InProcessRegion, type InProcessRegions, type ReplicationPace } from './in-process.js';
export { childEnv } from '../gateway-env.js';

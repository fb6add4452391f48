/** The shipper's only door: change log → Kafka, one RouteShipper per route. */
export { RouteShipper, type RewindOptions } from './route-shipper.js';
export type { ReshipResult } from './reship.js';
export type { RouteShipperOptions, ShipperEngine } from './route-shipper.js';
export type { ShipperOptions, ResolvedShipperOptions } from './options.js';
export { SHIPPER_DEFAULTS, resolveShipperOptions } from './options.js';
export type { ShipTransport, OutboundMessage } from './transport.js';
export type { RouteShipStats, ShipState, ScanReport } from './stats.js';
export { SHIP_STATES, SCAN_UNREADABLE_DIGESTS_MAX } from './stats.js';
export type { RouteRegions, ShipVerdict } from './filter.js';
export { shipVerdict, projectBins, coalesce } from './filter.js';
export { KafkaShipTransport } from './kafka-transport.js';
export type { KafkaShipTransportOptions, Compression } from './kafka-transport.js';
export { SHIP_ERRORS, ShipError, isShipError } from './errors.js';
export type { ShipErrorCode } from './errors.js';
export { PartitionedShipTransport, splitByLane, type PartitionedTransportLimits } from './partitioned-transport.js';

/**
 * replication-protocol/: what two regions agree on to replicate, pure (no
 * Kafka client, no sockets, no storage): the wire format (./wire, v1), the
 * route vocabulary (names, topics, dead-letter topics, cursor names, filters,
 * resolver names) and the port a route's conflict resolver plugs into.
 * shipper/ writes it, receiver/ reads it, xdr/ configures it; this file is the
 * only door. It imports record/ (the record model) and nothing else of ours.
 */
export * from './wire/index.js';
export type { RouteSpec, RegionSpec, NameFilter, RouteResolverName, RouteCompression, KafkaSasl } from './route.js';
export {
  ROUTE_NAME_PATTERN, REGION_NAME_PATTERN, TOPIC_NAME_PATTERN, ROUTE_RESOLVER_NAMES, ROUTE_COMPRESSIONS, routeTopic, deadLetterTopic, routeCursorName, admits,
} from './route.js';
export type { RouteResolver } from './resolver.js';

/** The shipper's only door. */
export type { RouteSpec, RegionSpec, NameFilter, ResolverName, KafkaSasl } from './route.js';
export { ROUTE_NAME_PATTERN, routeTopic, deadLetterTopic, routeCursorName, admits } from './route.js';

/**
 * Route health: the one vocabulary of route states, what destinations report
 * about the routes addressed to them, and the pure rules that turn a route's
 * figures and its destination's report into the state every view shows
 * (docs/observability.md, "Route state").
 */
export { ROUTE_STATES, ROUTE_STATE_SEVERITY, DESTINATION_STATUSES, type RouteState, type RouteIntent, type DestinationStatus, type Severity } from './states.js';
export { REPORT_VERSION, buildReport, parseReport, parseRegionNote, type DestinationReport, type RegionNote, type ReportInput } from './report.js';
export { HEALTH_RULES, destinationView, sourceHealth, receivingHealth, intentHealth, viewOfReport, type HealthRules, type RouteHealth, type DestinationView, type DestinationInput, type SourceInput } from './derive.js';
export type { RouteStatusBoard } from './board.js';
export { RouteHealthService, pipelineFigures, type HealthRoute, type RouteHealthOptions, type PipelineFigures } from './service.js';
export { lagWithHealth, healthRows, type HealthListing } from './listing.js';

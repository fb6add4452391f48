/** The gateway's web dashboard at /dashboard (docs/observability.md). */
export { registerDashboardRoutes, type DashboardOptions } from './routes.js';
export { DASHBOARD_ERRORS, DashboardError, type DashboardErrorCode } from './errors.js';
export { createObservability, type Observability, type ObservabilityOptions } from './observability.js';

/** Codes of the dashboard endpoints (DashboardError; answered as { code, message }). */
import { defineErrors } from './define.js';

export const DASHBOARD_ERRORS = defineErrors({
  XDR_ERR_DASHBOARD_BUSY: {
    message: 'the gateway already serves as many live dashboard streams (`/dashboard/api/live`) as it allows (64)',
    status: 503,
    retriable: true,
    fix: 'close dashboards you do not watch, or poll `/dashboard/api/history` instead',
  },
  XDR_ERR_DASHBOARD_ASSETS_MISSING: {
    message: "the dashboard's static files (`xdr/dashboard/static`, or uPlot in node_modules) are not installed next to the gateway; the gateway runs, `/dashboard` answers 503",
    status: 503,
    retriable: false,
    fix: 'install the whole package (the Dockerfile copies `xdr/dashboard/static`); `npm ci` without `--omit` of uplot',
  },
});

/** Errors of the dashboard endpoints (engine/errors.ts pattern; rendered as { code, message }). */

import { CodedError } from '../coded-error.js';

export const DASHBOARD_ERRORS = {
  XDR_ERR_DASHBOARD_BUSY: { retriable: true, summary: 'the gateway already serves as many live dashboard streams as it allows' },
  XDR_ERR_DASHBOARD_ASSETS_MISSING: { retriable: false, summary: "the dashboard's static files (xdr/dashboard/static, or uPlot in node_modules) are not installed next to the gateway" },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type DashboardErrorCode = keyof typeof DASHBOARD_ERRORS;

export class DashboardError extends CodedError<DashboardErrorCode> {
  override readonly name = 'DashboardError';

  constructor(code: DashboardErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, DASHBOARD_ERRORS[code].retriable, message, details, options);
  }
}

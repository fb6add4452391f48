/** The dashboard endpoints' error class (answered as { code, message }); its codes are declared in errors/dashboard.ts. */
import { DASHBOARD_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { DASHBOARD_ERRORS };
export type DashboardErrorCode = keyof typeof DASHBOARD_ERRORS;

export const DashboardError = errorClass('DashboardError', DASHBOARD_ERRORS);
export type DashboardError = InstanceType<typeof DashboardError>;
export const isDashboardError = errorGuard(DashboardError);

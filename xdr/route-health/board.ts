/**
 * Where destinations leave their reports and regions their namespaces: in the
 * topology's Redis, beside the route catalog (xdr/routes/catalog.ts implements
 * both). Every call may fail while Redis is away; callers keep what they had.
 */
import type { DestinationReport, RegionNote } from './report.js';

export interface RouteStatusBoard {
  /** Writes this region's reports and removes those of routes it no longer reports on. */
  putReports(reports: readonly DestinationReport[], withdrawn: readonly string[]): Promise<void>;
  /** Every region's reports. */
  reports(): Promise<DestinationReport[]>;
  putRegion(note: RegionNote): Promise<void>;
  /** Every region's note about itself. */
  regions(): Promise<RegionNote[]>;
  /** Whether commands reach Redis now. */
  connected(): boolean;
}

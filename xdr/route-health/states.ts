/**
 * The one vocabulary of route states. The shipper's loop states (SHIP_STATES)
 * come first; the rest need what only the gateway knows: the route's definition
 * (disabled), what its destination says (erroring), how its last scan ended
 * (incomplete, error). Shipper stats, /v1/xdr/routes, /v1/xdr/lag, /metrics,
 * `xdrgate route list`, `xdrgate lag` and the dashboard all use these names.
 */
import { SHIP_STATES } from '../../shipper/index.js';

export const ROUTE_STATES = [...SHIP_STATES, 'disabled', 'erroring', 'incomplete', 'error'] as const;
/**
 * - starting: the shipper has not shipped or found the change log empty yet
 * - running: shipping, and the destination (when it reports) receives and applies
 * - paused / disabled: held back by the operator (changes wait in the change log)
 * - retrying: sends to the source Kafka fail; retried with backoff
 * - recovering: an overflow recovery or rewind scan is shipping
 * - failed: a send or a shipping step failed with an error a retry does not fix
 *   (Kafka refused the batch, a corrupted change log); nothing ships until resumed
 * - stopped: the shipper stopped (the gateway is shutting down)
 * - erroring: the destination does not receive the route, or fails to apply it
 *   (dead letters, resolver errors, engine refusals); clears when that stops
 * - incomplete: the last scan ended but skipped unreadable records
 * - error: the last scan stopped before its end
 * failed, incomplete and error stay until the operator acts: a new rewind, a resume,
 * or removing the route.
 */
export type RouteState = (typeof ROUTE_STATES)[number];

/** What an operator should do about a state: nothing (ok), watch it (warn), act (bad). */
export type Severity = 'ok' | 'warn' | 'bad';

export const ROUTE_STATE_SEVERITY: Readonly<Record<RouteState, Severity>> = Object.freeze({
  starting: 'warn',
  running: 'ok',
  paused: 'warn',
  retrying: 'bad',
  recovering: 'ok',
  failed: 'bad',
  stopped: 'warn',
  disabled: 'warn',
  erroring: 'bad',
  incomplete: 'bad',
  error: 'bad',
});

/**
 * What a route's destination says about it, as its source shows it:
 * - receiving: its consumer is in the group and fetching
 * - starting: its consumer is joining the group
 * - not_receiving: it does not receive the route (the reason says why)
 * - not_reporting: its last report is too old (its gateway is down, or cannot reach Redis)
 * - unknown: no report yet, or no route catalog to read reports from
 */
export const DESTINATION_STATUSES = ['receiving', 'starting', 'not_receiving', 'not_reporting', 'unknown'] as const;
export type DestinationStatus = (typeof DESTINATION_STATUSES)[number];

/** What the operator asked a route to do (kept in routes.json and the catalog). */
export type RouteIntent = 'running' | 'paused' | 'disabled';

/** What the command handlers of the service port share: the engine, the clock, counters, limits, the log. */
import type { Logger } from 'pino';
import type { EngineApi, EngineOpsApi } from '../../engine/index.js';
import type { ServiceStats } from './stats.js';

export interface ServiceLimits {
  /** Largest message body accepted. */
  messageBytesMax: number;
  fieldsMax: number;
  opsMax: number;
  batchKeysMax: number;
  connectionsMax: number;
  /** Requests in flight per connection before it stops reading. */
  inFlightMax: number;
}

/** The engine as the service port uses it (the gateway's engine, or a test's). */
export type ServiceEngine = EngineApi & EngineOpsApi & { stats?(ns: string): unknown };

export interface CommandContext {
  engine: ServiceEngine;
  stats: ServiceStats;
  limits: ServiceLimits;
  logger: Logger;
  /** Wall clock, ms (void times on the wire are absolute). */
  nowMs(): number;
}

/**
 * Counters of the service port: requests, failures by result code and
 * latency per command, connections. The gateway's /metrics and the
 * `statistics` info command read them (docs/observability.md).
 */
import { LatencyHistogram, type LatencyBuckets, type LatencySnapshot } from '../../engine/index.js';
import { resultCodeName } from '../../aerospike-protocol/index.js';

export const SERVICE_COMMANDS = ['info', 'read', 'exists', 'write', 'delete', 'operate', 'batch', 'scan', 'query', 'background', 'admin'] as const;
export type ServiceCommand = (typeof SERVICE_COMMANDS)[number];

export interface ServiceCommandSnapshot {
  requests: number;
  /** Requests answered with a result code other than 0 (2 NOT_FOUND included). */
  failed: number;
  latency: LatencySnapshot;
  /** Cumulative counts at the powers of two (/metrics' xdrgate_service_request_duration_seconds). */
  buckets: LatencyBuckets;
}

export interface ServiceStatsSnapshot {
  connectionsOpen: number;
  connectionsOpened: number;
  /** Connections closed at once because max-connections were open. */
  connectionsRefused: number;
  /** Connections closed because a message could not be framed (bad version, oversize). */
  framingErrors: number;
  commands: Record<ServiceCommand, ServiceCommandSnapshot>;
  /** Answers by result-code name (NOT_FOUND, GENERATION, ...), every command together; 0 (OK) is not listed. */
  resultCodes: Record<string, number>;
}

class CommandStats {
  requests = 0;
  failed = 0;
  readonly latency = new LatencyHistogram();
}

export class ServiceStats {
  connectionsOpen = 0;
  connectionsOpened = 0;
  connectionsRefused = 0;
  framingErrors = 0;
  private readonly commands = new Map<ServiceCommand, CommandStats>(SERVICE_COMMANDS.map((c) => [c, new CommandStats()]));
  private readonly results = new Map<number, number>();

  /** One answered request: its command, result code and duration since it arrived (performance.now() ms). */
  record(command: ServiceCommand, resultCode: number, startedMs: number): void {
    const c = this.commands.get(command)!;
    c.requests++;
    c.latency.record((performance.now() - startedMs) * 1e6);
    if (resultCode !== 0) {
      c.failed++;
      this.results.set(resultCode, (this.results.get(resultCode) ?? 0) + 1);
    }
  }

  /** A result code counted outside a request's own outcome (batch rows). */
  countResult(resultCode: number): void {
    if (resultCode !== 0) this.results.set(resultCode, (this.results.get(resultCode) ?? 0) + 1);
  }

  snapshot(): ServiceStatsSnapshot {
    const commands = {} as Record<ServiceCommand, ServiceCommandSnapshot>;
    for (const [name, c] of this.commands) commands[name] = { requests: c.requests, failed: c.failed, latency: c.latency.snapshot(), buckets: c.latency.buckets() };
    const resultCodes: Record<string, number> = {};
    for (const [code, n] of this.results) resultCodes[resultCodeName(code)] = n;
    return {
      connectionsOpen: this.connectionsOpen,
      connectionsOpened: this.connectionsOpened,
      connectionsRefused: this.connectionsRefused,
      framingErrors: this.framingErrors,
      commands,
      resultCodes,
    };
  }
}

/**
 * What the metrics, the telemetry publisher and the dashboard read: the live
 * statistics objects of the gateway's parts, never copies kept on the side, so
 * every figure has one owner (the shipper, the receiver, the engine).
 */
import type { LatencyBuckets, NamespaceStatsSnapshot } from '../../engine/index.js';
import type { RouteRecvStats } from '../../receiver/index.js';
import type { RouteShipStats } from '../../shipper/index.js';
import type { AntiEntropyPairStats } from '../anti-entropy/index.js';
import type { RouteHealth } from '../route-health/index.js';
import type { ServiceStatsSnapshot } from '../aerospike/index.js';
import type { AlertsSnapshot } from '../alerts/evaluate.js';
import { NamespaceRates, namespacesHealth, type NamespaceHealth } from './namespace-health.js';

export interface HttpFigures {
  requests: number;
  errors4xx: number;
  errors5xx: number;
}

/** One HTTP route's latency histogram (xdr/http/request-latency.ts). */
export interface HttpLatencyFigures {
  method: string;
  /** The route's pattern; "unmatched" for requests no route matched. */
  route: string;
  buckets: LatencyBuckets;
}

/** The Aerospike service port's counters (xdr/aerospike/stats.ts). */
export type ServiceFigures = ServiceStatsSnapshot;

export interface ReplicationFigures {
  ship: RouteShipStats[];
  receive: RouteRecvStats[];
  /** Anti-entropy per route pair (the gateway adds it beside replication's own figures). */
  antiEntropy?: AntiEntropyPairStats[];
}

/** A route's health as this gateway derives it (xdr/route-health), for each route it ships or receives. */
export interface RouteHealthRow {
  route: string;
  role: 'source' | 'destination';
  health: RouteHealth;
}

/** The live figures of one gateway. Every call reads the current values. */
export interface StatsSource {
  /** The seed's figures per namespace with rates and recent latency; without it readers derive them with their own rate window. */
  health?(): NamespaceHealth[];
  region: string;
  replication(): ReplicationFigures;
  /** Each route's derived state; a gateway without route health leaves it out (then no state series). */
  routes?(): RouteHealthRow[];
  namespaces(): NamespaceStatsSnapshot[];
  http(): HttpFigures;
  /** HTTP latency per method and route; absent: no HTTP histogram series. */
  httpLatency?(): HttpLatencyFigures[];
  /** The gateway's alert evaluation; absent when it evaluates none. */
  alerts?(): AlertsSnapshot;
  /** Undefined when the gateway serves no Aerospike service port. */
  service?(): ServiceFigures | undefined;
}

const NO_REPLICATION: ReplicationFigures = { ship: [], receive: [] };

/**
 * Reads `ReplicationPort.stats()` (typed `unknown` at the port so route
 * administration does not depend on the pipeline's types). A standalone
 * gateway's NoReplication reports something else: no routes then.
 */
export function replicationFigures(stats: unknown): ReplicationFigures {
  const s = stats as Partial<ReplicationFigures> | null | undefined;
  if (s === null || s === undefined || !Array.isArray(s.ship) || !Array.isArray(s.receive)) return NO_REPLICATION;
  return { ship: s.ship, receive: s.receive, ...(Array.isArray(s.antiEntropy) ? { antiEntropy: s.antiEntropy } : {}) };
}

/** Engine stats per namespace; namespaces whose engine reports none are left out. */
export function namespaceFigures(engine: { namespaces(): string[]; stats?(ns: string): unknown }): NamespaceStatsSnapshot[] {
  const out: NamespaceStatsSnapshot[] = [];
  if (typeof engine.stats !== 'function') return out;
  for (const ns of engine.namespaces()) {
    const s = engine.stats(ns) as NamespaceStatsSnapshot | undefined;
    if (s !== undefined && s !== null && typeof s === 'object') out.push(s);
  }
  return out;
}

/**
 * A reader of namespace health that keeps its rate window between calls: the
 * one a gateway shares between /metrics, telemetry and alerts.
 */
export function healthReader(namespaces: () => NamespaceStatsSnapshot[], hostMemoryBytes: number, nowMs: () => number = Date.now): () => NamespaceHealth[] {
  const rates = new NamespaceRates();
  return () => namespacesHealth(namespaces(), rates, hostMemoryBytes, nowMs());
}

/**
 * The figures the seed tells operators to watch per namespace, in one place:
 * client reads and writes (policy refusals apart from errors), device read and
 * write rates, memory_used_pct, storage_used_pct, stop-writes, and the recent
 * latency percentiles (`asadm show latencies`). /metrics, the telemetry sample,
 * the alerts and `xdrgate stats` all read them from here.
 */
import type { LatencySnapshot, NamespaceStatsSnapshot, OpTypeSnapshot } from '../../engine/index.js';

/** The operation types `show latencies` lists. */
export const LATENCY_OPS = ['read', 'write', 'batch', 'query'] as const;
export type LatencyOp = (typeof LATENCY_OPS)[number];

export interface LatencyFigures {
  /** Operations the percentiles cover (the recent window: the last 10 to 20 s). */
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
}

export interface NamespaceHealth {
  ns: string;
  storage_engine: 'device' | 'memory';
  objects: number;
  client_read_success: number;
  client_read_error: number;
  client_write_success: number;
  client_write_error: number;
  /** Writes the write policy refused (exists: create on an existing record, generation checks): answers, not faults. */
  client_write_refused: number;
  /** Records read from storage per second (successful client reads), over the rate window. */
  device_read_tps: number;
  /** Records written to storage per second (client writes, deletes and replicated applies), over the rate window. */
  device_write_tps: number;
  memory_used_pct: number;
  storage_used_pct: number;
  stop_writes: boolean;
  latency: Record<LatencyOp, LatencyFigures>;
}

type EngineNamespace = NamespaceStatsSnapshot & { ops?: Partial<Record<string, OpTypeSnapshot>> };

/**
 * With a memory-size, what the engine counts against it (Aerospike's way: 64 B
 * of index a record, secondary indexes, data in RAM); without one, the bytes
 * the index has allocated plus the data of a memory namespace.
 */
export function memoryUsedBytes(n: NamespaceStatsSnapshot): number {
  if (n.memory_size > 0) return n.memory_used_bytes;
  return n.index_bytes + (n.storage_engine === 'memory' ? n.device_used_bytes : 0);
}

/** memory_used_bytes as a percentage of the namespace's memory-size, or of the host's RAM when it has none; two decimals. */
export function memoryUsedPct(n: NamespaceStatsSnapshot, hostMemoryBytes: number): number {
  if (n.memory_size > 0) return n.memory_used_pct;
  return hostMemoryBytes > 0 ? Math.round((memoryUsedBytes(n) / hostMemoryBytes) * 10_000) / 100 : 0;
}

const ms = (us: number): number => Math.round(us) / 1000;

function latencyOf(s: LatencySnapshot | undefined): LatencyFigures {
  if (s === undefined || s.count === 0) return { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0 };
  return { count: s.count, p50_ms: ms(s.p50Us), p90_ms: ms(s.p90Us), p99_ms: ms(s.p99Us) };
}

function deviceReads(n: NamespaceStatsSnapshot): number {
  return n.client_read_success;
}

function deviceWrites(n: NamespaceStatsSnapshot): number {
  return n.client_write_success + n.client_delete_success + n.xdr_apply_success;
}

/** Per-second rates of the device counters over a sliding window of observations, per namespace. */
export class NamespaceRates {
  private readonly seen = new Map<string, Array<{ atMs: number; reads: number; writes: number }>>();

  /**
   * @param windowMs how far back a rate looks.
   * @param observationsMax observations kept per namespace (a bound whatever the scrape rate).
   */
  constructor(
    readonly windowMs = 10_000,
    readonly observationsMax = 64,
  ) {}

  /** Records the counters at `nowMs` and returns the rates over the window (0 until two observations exist). */
  observe(n: NamespaceStatsSnapshot, nowMs: number): { read_tps: number; write_tps: number } {
    let list = this.seen.get(n.ns);
    if (list === undefined) this.seen.set(n.ns, (list = []));
    const now = { atMs: nowMs, reads: deviceReads(n), writes: deviceWrites(n) };
    const last = list.at(-1);
    // A restart of the engine resets its counters: start the window again.
    if (last !== undefined && (now.reads < last.reads || now.writes < last.writes || now.atMs < last.atMs)) list.length = 0;
    if (last === undefined || now.atMs - last.atMs >= 250 || list.length === 0) list.push(now);
    else list[list.length - 1] = now;
    while (list.length > 2 && (nowMs - list[1]!.atMs >= this.windowMs || list.length > this.observationsMax)) list.shift();
    const first = list[0]!;
    const seconds = (now.atMs - first.atMs) / 1000;
    if (seconds <= 0) return { read_tps: 0, write_tps: 0 };
    const round1 = (x: number) => Math.round(x * 10) / 10;
    return { read_tps: round1((now.reads - first.reads) / seconds), write_tps: round1((now.writes - first.writes) / seconds) };
  }

  /** Forgets namespaces not in `names` (a bound on the map). */
  retain(names: readonly string[]): void {
    for (const ns of [...this.seen.keys()]) if (!names.includes(ns)) this.seen.delete(ns);
  }
}

export function namespaceHealth(n: EngineNamespace, rates: { read_tps: number; write_tps: number }, hostMemoryBytes: number): NamespaceHealth {
  const latency = {} as Record<LatencyOp, LatencyFigures>;
  for (const op of LATENCY_OPS) latency[op] = latencyOf(n.ops?.[op]?.recent);
  return {
    ns: n.ns,
    storage_engine: n.storage_engine,
    objects: n.objects,
    client_read_success: n.client_read_success,
    client_read_error: n.client_read_error,
    client_write_success: n.client_write_success,
    client_write_error: n.client_write_error,
    client_write_refused: n.client_write_refused ?? 0,
    device_read_tps: rates.read_tps,
    device_write_tps: rates.write_tps,
    memory_used_pct: memoryUsedPct(n, hostMemoryBytes),
    storage_used_pct: n.device_used_pct,
    stop_writes: n.stop_writes,
    latency,
  };
}

/** Every namespace's health figures now; `rates` keeps the device counters between calls. */
export function namespacesHealth(namespaces: readonly NamespaceStatsSnapshot[], rates: NamespaceRates, hostMemoryBytes: number, nowMs: number): NamespaceHealth[] {
  rates.retain(namespaces.map((n) => n.ns));
  return namespaces.map((n) => namespaceHealth(n, rates.observe(n, nowMs), hostMemoryBytes));
}

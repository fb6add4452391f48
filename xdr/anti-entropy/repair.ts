/**
 * `xdrgate verify --repair`: after verify found differences, one repair pass
 * per differing namespace with both regions reached over HTTP (each re-ships
 * its versions of what differs on its route to the other), then verify again
 * with re-checks until the re-shipped records have been applied. No settle
 * window: the operator asked for it now, and a record still in flight is
 * shipped once more at worst (the destination drops it as identical).
 */
import { RecordBudget } from './budget.js';
import { runPass, type PassResult } from './pass.js';
import type { PairSide } from './sides.js';

interface RouteListing {
  routes: Array<{ spec: { name: string; source: string; destination: string; namespace: string } }>;
}

export interface RepairRegion {
  side: PairSide;
  /** GET against the region's gateway (its routes, its region name). */
  get<T>(path: string): Promise<T>;
}

export interface RepairOptions {
  from: RepairRegion;
  to: RepairRegion;
  namespaces: string[];
  /** @default 500 */
  digestsPerRequest?: number;
  /** @default 2 */
  concurrentRequests?: number;
  /** Records hashed or listed per second. @default 50000 */
  recordsPerSec?: number;
  onProgress?: (ns: string, done: number, total: number) => void;
}

export interface NamespaceRepair extends PassResult {
  ns: string;
  /** Routes used: from→to and to→from (absent: none, that side's versions stay). */
  fromRoute?: string;
  toRoute?: string;
}

async function regionName(r: RepairRegion): Promise<string> {
  return (await r.get<{ region: string }>('/v1/admin/partitions')).region;
}

export async function repairRegions(o: RepairOptions): Promise<NamespaceRepair[]> {
  const [fromName, toName] = await Promise.all([regionName(o.from), regionName(o.to)]);
  // Routes are listed at both gateways (each knows its own and those coming to it).
  const [fromRoutes, toRoutes] = await Promise.all([o.from.get<RouteListing>('/v1/xdr/routes'), o.to.get<RouteListing>('/v1/xdr/routes')]);
  const all = [...fromRoutes.routes, ...toRoutes.routes].map((r) => r.spec);
  const find = (src: string, dst: string, ns: string) => all.find((r) => r.source === src && r.destination === dst && r.namespace === ns)?.name;
  const out: NamespaceRepair[] = [];
  for (const ns of o.namespaces) {
    const fromRoute = find(fromName, toName, ns);
    const toRoute = find(toName, fromName, ns);
    const result = await runPass({
      ns,
      a: o.from.side,
      b: o.to.side,
      aRoute: fromRoute,
      bRoute: toRoute,
      lutMax: undefined,
      recordsPerPass: Number.MAX_SAFE_INTEGER,
      reshipPerPass: Number.MAX_SAFE_INTEGER,
      digestsPerRequest: o.digestsPerRequest ?? 500,
      concurrentRequests: o.concurrentRequests ?? 2,
      budget: new RecordBudget(o.recordsPerSec ?? 50_000, Date.now()),
      targetRecordsPerRequest: Math.max(64, Math.floor((o.recordsPerSec ?? 50_000) / 4)),
      nowMs: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      isStopping: () => false,
      onProgress: (done, total) => o.onProgress?.(ns, done, total),
    });
    out.push({ ns, ...result, ...(fromRoute ? { fromRoute } : {}), ...(toRoute ? { toRoute } : {}) });
  }
  return out;
}

/**
 * A region as a repair pass reaches it: its partition hashes and listings and
 * a way to make it re-ship records on one of its routes. `localSide` calls
 * this gateway's engine and routes directly; `httpSide` calls a gateway
 * (a peer, or both regions for `xdrgate verify --repair`) through its API.
 */
import type { PartitionDigest, PartitionRecordEntry } from '../../engine/index.js';
import type { ReshipResult } from '../../shipper/index.js';
import type { GatewayClient } from '../cli/client.js';
import type { PartitionSource } from '../verify/index.js';

export interface PairSide {
  /** Region name, for logs and reports. */
  name: string;
  digests(ns: string, fromPid: number, toPid: number, lutMax: number | undefined): Promise<PartitionDigest[]>;
  records(ns: string, pid: number): Promise<PartitionRecordEntry[]>;
  /** Re-ships the given records (hex digests) on `route`, a route this region ships. */
  reship(route: string, ns: string, digests: string[]): Promise<ReshipResult>;
}

export function localSide(name: string, source: PartitionSource, routes: { reship(route: string, ns: string, digests: readonly string[]): Promise<ReshipResult> }): PairSide {
  return {
    name,
    digests: (ns, from, to, lutMax) => source.digests(ns, from, to, lutMax === undefined ? {} : { lutMax }),
    records: async (ns, pid) => (await source.records(ns, pid, {})).records,
    reship: (route, ns, digests) => routes.reship(route, ns, digests),
  };
}

export function httpSide(name: string, client: GatewayClient): PairSide {
  const nsPath = (ns: string) => `/v1/admin/partitions/${encodeURIComponent(ns)}`;
  return {
    name,
    digests: async (ns, from, to, lutMax) =>
      (await client.request<{ partitions: PartitionDigest[] }>('GET', `${nsPath(ns)}?from=${from}&to=${to}${lutMax === undefined ? '' : `&lutMax=${Math.floor(lutMax)}`}`)).body.partitions,
    records: async (ns, pid) => (await client.request<{ records: PartitionRecordEntry[] }>('GET', `${nsPath(ns)}/${pid}`)).body.records,
    reship: async (route, ns, digests) => (await client.request<ReshipResult>('POST', `/v1/xdr/routes/${encodeURIComponent(route)}/reship`, { ns, digests })).body,
  };
}

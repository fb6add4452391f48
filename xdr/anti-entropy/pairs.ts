/**
 * The route pairs anti-entropy looks after, from the routes this gateway knows
 * (its own, and those the catalog says come to it). Pure.
 *
 * A pair is a namespace replicated both ways between this region and a peer:
 * a route here→peer and a route peer→here on the same namespace. Only such a
 * pair is expected to hold identical data; a one-way route lets the
 * destination hold writes of its own, and a route that filters sets or bins
 * replicates part of the namespace, so anti-entropy (which compares whole
 * namespaces) leaves them to `xdrgate verify` and says why in its stats.
 */
import { leadsPair } from './schedule.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

export interface KnownRoute {
  spec: RouteSpec;
  /** 'running' | 'paused' | 'disabled' as the route manager shows it. */
  state: string;
}

export interface PairPlan {
  /** The route this region ships to the peer (the pair's name in stats and metrics). */
  route: string;
  ns: string;
  peer: string;
  /** The peer's route back to this region, when there is one. */
  peerRoute?: string;
  lead: boolean;
  /** Why no pass runs for the pair now; absent when passes may run. */
  skip?: string;
}

function filters(spec: RouteSpec): boolean {
  const f = (x: RouteSpec['sets']) => x !== undefined && ((x.ship?.length ?? 0) > 0 || (x.ignore?.length ?? 0) > 0);
  return f(spec.sets) || f(spec.bins);
}

export function planPairs(here: string, routes: readonly KnownRoute[], peerUrl: (region: string) => string | undefined): PairPlan[] {
  const out: PairPlan[] = [];
  for (const mine of routes) {
    const s = mine.spec;
    if (s.source !== here) continue;
    const back = routes.find((r) => r.spec.source === s.destination && r.spec.destination === here && r.spec.namespace === s.namespace);
    const plan: PairPlan = { route: s.name, ns: s.namespace, peer: s.destination, lead: leadsPair(here, s.destination), ...(back ? { peerRoute: back.spec.name } : {}) };
    if (back === undefined) plan.skip = `one-way: no route ${s.destination}→${here} for ${s.namespace} (the destination may hold writes of its own; use xdrgate verify)`;
    else if (filters(s) || filters(back.spec)) plan.skip = 'a route of the pair filters sets or bins; anti-entropy compares whole namespaces (use xdrgate verify)';
    else if (mine.state !== 'running') plan.skip = `route ${s.name} is ${mine.state}`;
    else if (back.state !== 'running') plan.skip = `route ${back.spec.name} is ${back.state}`;
    else if (peerUrl(s.destination) === undefined) plan.skip = `no gateway-url for region ${s.destination} (regions[].gateway-url or XDRGATE_URL_${s.destination.toUpperCase().replace(/-/g, '_')})`;
    out.push(plan);
  }
  return out;
}

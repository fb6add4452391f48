/** In-memory RouteAdmin for HTTP tests: validates like the real one (normalizeRoute), keeps state in a Map. */
import type { ErrorNote } from '../../../errors/index.js';
import type { RouteAdmin, RouteStatus } from '../../../xdr/routes/index.js';
import type { ReshipResult } from '../../../shipper/index.js';
import { intentHealth } from '../../../xdr/route-health/index.js';
import { normalizeRoute } from '../../../xdr/config/index.js';
import { XdrError } from '../../../xdr/errors.js';

export class FakeRoutes implements RouteAdmin {
  readonly routes = new Map<string, RouteStatus>();
  readonly rewinds: Array<{ name: string; sinceMs: number; includeOrigin?: boolean }> = [];
  readonly reships: Array<{ name: string; ns: string; digests: readonly string[] }> = [];

  constructor(private readonly region = 'tokyo') {}

  list(): RouteStatus[] {
    return [...this.routes.values()];
  }
  get(name: string): RouteStatus | undefined {
    return this.routes.get(name);
  }
  /** What the next put warns about (a destination said it cannot apply the route). */
  warnings: ErrorNote[] = [];

  async put(name: string, input: Record<string, unknown>): Promise<{ route: RouteStatus; created: boolean; warnings: ErrorNote[] }> {
    const { route, problems } = normalizeRoute({ ...input, name }, 'route', { regions: ['tokyo', 'virginia'], localRegion: this.region, localNamespaces: ['user_data', 'sessions'] });
    if (problems.length) throw new XdrError('XDR_ERR_ROUTE_INVALID', problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    if (route.source !== this.region) throw new XdrError('XDR_ERR_ROUTE_NOT_LOCAL', `edit it at ${route.source}`);
    const created = !this.routes.has(name);
    const intent = route.enabled ? 'running' : 'disabled';
    const status: RouteStatus = { spec: route, intent, role: 'source', updatedAtMs: Date.now(), ...intentHealth(intent, route) };
    this.routes.set(name, status);
    return { route: status, created, warnings: this.warnings };
  }
  async remove(name: string): Promise<void> {
    this.routes.delete(name);
  }
  async pause(name: string): Promise<RouteStatus> {
    const r = this.routes.get(name)!;
    r.state = 'paused';
    r.intent = 'paused';
    return r;
  }
  async resume(name: string): Promise<RouteStatus> {
    const r = this.routes.get(name)!;
    r.state = 'running';
    r.intent = 'running';
    return r;
  }
  async rewind(name: string, sinceMs: number, options: { includeOrigin?: boolean } = {}): Promise<void> {
    this.rewinds.push({ name, sinceMs, ...(options.includeOrigin ? { includeOrigin: true } : {}) });
  }
  async reship(name: string, ns: string, digests: readonly string[]): Promise<ReshipResult> {
    this.reships.push({ name, ns, digests });
    return { requested: digests.length, shipped: digests.length, notFound: 0, filteredOut: 0, abandoned: 0 };
  }
}

/**
 * GET /v1/xdr/conflicts: the last conflicts this region's receiver resolved
 * (both versions' region and last-update time, which stands and why), newest
 * first, with region ids named. Read-only, from a bounded ring in the receiver.
 *
 * GET /v1/xdr/conflicts/all: the same list from every region, this one's read
 * here and each peer's asked at its gateway-url, each labelled with its
 * region; a peer that does not answer is listed with the reason (the console
 * shows both regions' conflicts whichever gateway serves it).
 */
import type { FastifyInstance } from 'fastify';
import type { ConflictsSnapshot } from '../../receiver/index.js';

/** Entries one request returns at most (the ring's default size). */
export const CONFLICTS_LIMIT_MAX = 256;

const side = {
  type: 'object',
  properties: {
    region: { type: 'string', description: 'Name of the region that wrote the version (its id when the config does not name it).' },
    region_id: { type: 'integer' },
    lut_ms: { type: 'integer', description: 'Last-update time of the version, unix ms.' },
    generation: { type: 'integer' },
    deleted: { type: 'boolean' },
  },
} as const;

export const conflictsResponseSchema = {
  type: 'object',
  properties: {
    region: { type: 'string' },
    total: { type: 'integer', description: 'Conflicts resolved since the gateway started.' },
    capacity: { type: 'integer', description: 'Conflicts the ring keeps (the newest).' },
    conflicts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at_ms: { type: 'integer' },
          route: { type: 'string' },
          resolver: { type: 'string' },
          ns: { type: 'string' },
          set: { type: 'string' },
          digest: { type: 'string' },
          key: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
          local: side,
          incoming: side,
          winner: { type: 'string', enum: ['local', 'incoming', 'merged'] },
          reason: { type: 'string', description: 'The resolver’s reason: applied (incoming newer), merged, older (local newer), identical, error.' },
        },
      },
    },
  },
} as const;

/** One region's answer in /v1/xdr/conflicts/all: its list, or why there is none. */
const regionConflictsSchema = {
  type: 'object',
  properties: { ...conflictsResponseSchema.properties, error: { type: 'string', description: 'Why this region\'s list is missing (no gateway-url, not answering).' } },
} as const;

export interface ConflictsList {
  region: string;
  total: number;
  capacity: number;
  conflicts: unknown[];
}

/** A peer region's conflicts, asked at its gateway. */
export interface PeerConflicts {
  region: string;
  /** Rejects when the peer cannot be asked (its message is shown); undefined when it has no gateway-url. */
  read?: (limit: number) => Promise<ConflictsList>;
}

export interface ConflictsRouteOptions {
  region: string;
  /** Region id → name, from the config. */
  regionNames: ReadonlyMap<number, string>;
  /** The receiver's ring; undefined while replication is not up (or in a gateway that receives nothing). */
  read(limit: number, route?: string): ConflictsSnapshot | undefined;
  /** The other regions of the topology, for /v1/xdr/conflicts/all. @default [] */
  peers?: readonly PeerConflicts[];
}

const limitQuery = {
  // A string: the server does not coerce query values (1..256).
  limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-6])$', description: `1..${CONFLICTS_LIMIT_MAX} (default 50)` },
} as const;

export function registerConflictsRoute(app: FastifyInstance, o: ConflictsRouteOptions): void {
  const named = (s: { region: number; lut_ms: number; generation: number; deleted: boolean }) => ({ ...s, region: o.regionNames.get(s.region) ?? String(s.region), region_id: s.region });
  app.get<{ Querystring: { limit?: string; route?: string } }>(
    '/v1/xdr/conflicts',
    {
      schema: {
        tags: ['xdr'],
        summary: 'The last conflicts this region resolved: both versions, the winner and why',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...limitQuery, route: { type: 'string', maxLength: 200 } },
        },
        response: { 200: conflictsResponseSchema },
      },
    },
    async (req) => local(req.query.limit === undefined ? 50 : Number(req.query.limit), req.query.route),
  );
  const local = (limit: number, route?: string): ConflictsList => {
    const snap = o.read(limit, route);
    if (snap === undefined) return { region: o.region, total: 0, capacity: 0, conflicts: [] };
    return { region: o.region, total: snap.total, capacity: snap.capacity, conflicts: snap.recent.map((c) => ({ ...c, local: named(c.local), incoming: named(c.incoming) })) };
  };
  app.get<{ Querystring: { limit?: string } }>(
    '/v1/xdr/conflicts/all',
    {
      schema: {
        tags: ['xdr'],
        summary: "Every region's last conflicts: this one's, and each peer's asked at its gateway-url",
        querystring: { type: 'object', additionalProperties: false, properties: limitQuery },
        response: { 200: { type: 'object', properties: { regions: { type: 'array', items: regionConflictsSchema } } } },
      },
    },
    async (req) => {
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      const peers = await Promise.all(
        (o.peers ?? []).map(async (p): Promise<ConflictsList & { error?: string }> => {
          const none = { region: p.region, total: 0, capacity: 0, conflicts: [] };
          if (p.read === undefined) return { ...none, error: `${p.region} has no gateway-url in this gateway's config` };
          try {
            return { ...(await p.read(limit)), region: p.region };
          } catch (err) {
            return { ...none, error: `${p.region} did not answer: ${(err as Error).message}` };
          }
        }),
      );
      return { regions: [local(limit), ...peers] };
    },
  );
}

/**
 * Admin endpoints behind `xdrgate verify`:
 *   GET /v1/admin/partitions                → { region, namespaces }
 *   GET /v1/admin/partitions/:ns?from&to    → { region, ns, partitions: [{ pid, records, hash }] }
 *   GET /v1/admin/partitions/:ns/:pid       → { region, ns, pid, records: [...], truncated }
 * `liveOnly=true` leaves tombstones out of both. They sit behind the bearer
 * token like every other /v1 path. Hashing yields to the event loop every few
 * hundred records, so a verify of a large namespace slows writes, never stops them.
 */
import type { FastifyInstance } from 'fastify';
import { PARTITION_COUNT } from '../../engine/index.js';
import { NAMESPACE_NAME_PATTERN } from '../config/index.js';
import { VerifyError } from './errors.js';
import type { PartitionSource } from './source.js';

const PID_MAX = PARTITION_COUNT - 1;
/** Largest listing one request returns; a partition holds ~records/4096, so this is only reached past 400 M records. */
const RECORDS_PER_PARTITION_MAX = 100_000;

const nsParam = { type: 'string', pattern: NAMESPACE_NAME_PATTERN } as const;
/** An HLC timestamp (ms × 1024 + logical): at most 16 digits, below 2^53. */
const lutMaxParam = { type: 'string', pattern: '^\\d{1,16}$' } as const;

export interface PartitionRoutesOptions {
  region: string;
  source: PartitionSource;
}

export function registerPartitionRoutes(app: FastifyInstance, o: PartitionRoutesOptions): void {
  app.get('/v1/admin/partitions', { schema: { tags: ['admin'], summary: 'Namespaces whose partitions can be verified' } }, async () => ({
    region: o.region,
    namespaces: o.source.namespaces(),
  }));

  app.get<{ Params: { ns: string }; Querystring: { from?: number; to?: number; liveOnly?: boolean; lutMax?: string } }>(
    '/v1/admin/partitions/:ns',
    {
      schema: {
        tags: ['admin'],
        summary: 'Hash of each partition (records and their replicated metadata) in a range',
        params: { type: 'object', required: ['ns'], properties: { ns: nsParam } },
        // Query strings are text: these three are the only values this gateway coerces.
        // lutMax (an HLC timestamp) leaves out records changed after it: anti-entropy's settle window.
        querystring: { type: 'object', additionalProperties: false, properties: { from: { type: 'string', pattern: '^\\d{1,4}$' }, to: { type: 'string', pattern: '^\\d{1,4}$' }, liveOnly: { enum: ['true', 'false'] }, lutMax: lutMaxParam } },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const from = q.from === undefined ? 0 : Number(q.from);
      const to = q.to === undefined ? PID_MAX : Number(q.to);
      if (from > to || to > PID_MAX) throw new VerifyError('XDR_ERR_VERIFY_BAD_RANGE', `from=${from} to=${to}: partitions are 0..${PID_MAX} and from must not exceed to`);
      const partitions = await o.source.digests(req.params.ns, from, to, { liveOnly: q.liveOnly === 'true', ...(q.lutMax !== undefined ? { lutMax: Number(q.lutMax) } : {}) });
      return { region: o.region, ns: req.params.ns, partitions };
    },
  );

  app.get<{ Params: { ns: string; pid: string } }>(
    '/v1/admin/partitions/:ns/:pid',
    {
      schema: {
        tags: ['admin'],
        summary: "One partition's records with their metadata and hashes, in digest order",
        params: { type: 'object', required: ['ns', 'pid'], properties: { ns: nsParam, pid: { type: 'string', pattern: '^\\d{1,4}$' } } },
        querystring: { type: 'object', additionalProperties: false, properties: { liveOnly: { enum: ['true', 'false'] } } },
      },
    },
    async (req) => {
      const p = Number(req.params.pid);
      if (p > PID_MAX) throw new VerifyError('XDR_ERR_VERIFY_BAD_RANGE', `partition ${p} does not exist; partitions are 0..${PID_MAX}`);
      const q = req.query as Record<string, string | undefined>;
      const listing = await o.source.records(req.params.ns, p, { liveOnly: q.liveOnly === 'true', recordsMax: RECORDS_PER_PARTITION_MAX });
      return { region: o.region, ns: req.params.ns, pid: p, ...listing };
    },
  );
}

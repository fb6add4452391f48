/** GET /metrics: the Prometheus text exposition (open like /healthz: figures only, no data). */
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from './registry.js';

export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const text = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}

/** GET /v1/xdr/alerts: what fires in this region now, every rule with its threshold, and how often each fired. */
import type { FastifyInstance } from 'fastify';
import { ALERT_RULES } from './rules.js';
import type { AlertsSnapshot } from './evaluate.js';

const alertSchema = {
  type: 'object',
  properties: {
    rule: { type: 'string', enum: [...ALERT_RULES] },
    severity: { type: 'string', enum: ['warning', 'critical'] },
    target: { type: 'string', description: 'The route or namespace the alert is about.' },
    kind: { type: 'string', enum: ['route', 'namespace'] },
    value: { type: 'number' },
    threshold: { type: 'number' },
    unit: { type: 'string' },
    since_ms: { type: 'integer' },
    message: { type: 'string' },
  },
} as const;

export const alertsResponseSchema = {
  type: 'object',
  properties: {
    region: { type: 'string' },
    evaluated_ms: { type: 'integer' },
    firing: { type: 'array', items: alertSchema },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        properties: { rule: { type: 'string' }, severity: { type: 'string' }, summary: { type: 'string' }, threshold: { type: 'number' }, unit: { type: 'string' }, enabled: { type: 'boolean' } },
      },
    },
    fired_total: { type: 'object', additionalProperties: { type: 'integer' } },
  },
} as const;

export function registerAlertsRoute(app: FastifyInstance, region: string, read: () => AlertsSnapshot): void {
  app.get('/v1/xdr/alerts', { schema: { tags: ['xdr'], summary: 'Alerts firing in this region, and the rules with their thresholds', response: { 200: alertsResponseSchema } } }, async () => ({ region, ...read() }));
}

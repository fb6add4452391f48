/**
 * Plain HTTP against a gateway, for tests that check status codes and bodies
 * exactly as a client sees them (GatewayClient throws on errors instead).
 */
import { NS } from './two-regions/region-config.js';
import { waitFor } from './wait.js';

export interface HasUrl {
  url: string;
}

/** One request; the body parsed as JSON when it is (/metrics is text). */
export async function call(g: HasUrl, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${g.url}${p}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (/metrics is text): the text itself.
  }
  return { status: res.status, body: parsed };
}

/** PUT of a record in set `s` of `ns` (NS unless told); anything but 200 throws with the answer. */
export async function put(g: HasUrl & { name?: string }, key: string, bins: Record<string, unknown>, ns = NS): Promise<void> {
  const res = await call(g, 'PUT', `/v1/records/${ns}/s/${key}`, { bins });
  if (res.status !== 200) throw new Error(`PUT ${key} in ${g.name ?? g.url}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** GET of a record in set `s` of `ns` (NS unless told); undefined when absent. */
export async function get(g: HasUrl, key: string, ns = NS): Promise<any | undefined> {
  const res = await call(g, 'GET', `/v1/records/${ns}/s/${key}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The route's row of the source side of /v1/stats. */
export async function shipStats(g: HasUrl, route: string): Promise<any> {
  const res = await call(g, 'GET', '/v1/stats');
  return (res.body.replication.ship as any[]).find((r) => r.route === route);
}

/** The route's row of the destination side of /v1/stats. */
export async function recvStats(g: HasUrl, route: string): Promise<any> {
  const res = await call(g, 'GET', '/v1/stats');
  return (res.body.replication.receive as any[]).find((r) => r.route === route);
}

/** The value of `name{...labels...}` in a Prometheus text page. */
export function metricValue(text: string, name: string, labelPart: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labelPart)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Both directions live before anything is measured: a write in each region is read in the other. */
export async function waitReplicatingBothWays(a: HasUrl & { name?: string }, b: HasUrl & { name?: string }): Promise<void> {
  await put(a, 'warm-a', { v: 1 });
  await put(b, 'warm-b', { v: 1 });
  await waitFor(async () => (await get(b, 'warm-a')) !== undefined, { timeoutMs: 60_000, what: 'a → b replicating' });
  await waitFor(async () => (await get(a, 'warm-b')) !== undefined, { timeoutMs: 60_000, what: 'b → a replicating' });
}

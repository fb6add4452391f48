// Counters under the resolvers that pick whole versions: two real gateway
// processes (test/helpers/two-regions), each region on its own Kafka, routes both
// ways with resolver lww, then generation. Rounds of concurrent increments of
// shared counters from both regions, with plain writes of other bins of the
// same records among them; then both regions hold exactly the acknowledged sum,
// and verify finds the regions identical. (The shipped configs, lww, are
// exercised the same way in two-regions.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology } from '../../helpers/two-regions/index.js';
import { concurrentIncrements, type CounterRegion } from '../../helpers/counter-load.js';
import { waitFor } from '../../helpers/wait.js';
import type { GatewayClient } from '../../../xdr/cli/index.js';

const kafka = suiteKafka({ a: 'shared', b: 'shared' });
const SET = 'counters';

function counterRegion(name: string, client: GatewayClient): CounterRegion {
  return {
    name,
    incr: async (key, delta) => {
      const res = await client.request('POST', `/v1/records/${NS}/${SET}/${key}/operate`, { ops: [{ op: 'incr', bin: 'hits', value: delta }] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    },
    write: async (key, bins) => {
      const res = await client.request('PUT', `/v1/records/${NS}/${SET}/${key}`, { bins });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    },
  };
}

/** The record's hits bin; undefined while the record is not there (the client throws for a 404). */
async function hits(client: GatewayClient, key: string): Promise<unknown> {
  try {
    return (await client.request<{ bins: { hits?: unknown } }>('GET', `/v1/records/${NS}/${SET}/${key}`)).body.bins.hits;
  } catch {
    return undefined;
  }
}

describe('counters add up under lww and generation', { timeout: 400_000 }, () => {
  for (const resolver of ['lww', 'generation'] as const) {
    it(`${resolver}: concurrent increments from both regions, rounds of 16 in flight, sum exactly in both`, async (t) => {
      const topo = await Topology.create(t, kafka(), { resolver, antiEntropy: ANTI_ENTROPY_OFF });
      const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
      const keys = Array.from({ length: 3 }, () => `k-${randomBytes(4).toString('hex')}`);
      const acked = await concurrentIncrements([counterRegion(topo.a.name, a.client), counterRegion(topo.b.name, b.client)], keys, { rounds: 6, inFlight: 16 });
      for (const key of keys) {
        const sum = acked.get(key)!;
        for (const c of [a.client, b.client]) {
          await waitFor(async () => (await hits(c, key)) === sum, { timeoutMs: 60_000, intervalMs: 200, what: `${resolver}: ${key} = ${sum}` });
        }
      }
      // Every other bin followed the resolver's pick, the same in both regions.
      const report = await topo.converge(60_000);
      assert.ok(report.identical);
    });
  }
});

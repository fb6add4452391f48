// The two regions cut off from each other for 30 s (every connection from a
// gateway to the other region's Kafka reset by a TCP proxy) with writes,
// deletes, conflicting bin writes and increments on both sides, then healed:
// verify identical, every delete held, bins merged, the counter exact.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology } from '../helpers/two-regions/index.js';
import { SET, WriteLoad, countPresent } from './load.js';
import type { GatewayClient } from '../../xdr/cli/index.js';

// Both brokers belong to this file, each reachable from the other region only through its proxy.
const kafka = suiteKafka({ a: 'proxied', b: 'proxied' });

const PARTITION_MS = 30_000;

describe('WAN partition', { timeout: 170_000 }, () => {
  it('regions cut off from each other for 30 s with writes, deletes and increments on both sides converge once healed', async (t) => {
    const topo = await Topology.create(t, kafka(), { resolver: 'bin-lww', antiEntropy: ANTI_ENTROPY_OFF });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const put = (c: GatewayClient, key: string, bins: Record<string, unknown>) => c.request('PUT', `/v1/records/${NS}/${SET}/${key}`, { bins });
    const del = (c: GatewayClient, key: string) => c.request('DELETE', `/v1/records/${NS}/${SET}/${key}`);
    const incr = (c: GatewayClient, by: number) => c.request('POST', `/v1/records/${NS}/${SET}/counter/operate`, { ops: [{ op: 'incr', bin: 'n', value: by }] });

    for (let i = 0; i < 60; i++) await put(a.client, `p${i}`, { i, side: 'before' });
    await incr(a.client, 1);
    await topo.converge();

    const { a: ka, b: kb } = kafka();
    ka.proxy!.cut();
    kb.proxy!.cut();
    const [la, lb] = [new WriteLoad(a.client, 'pa-', 2, 50).start(), new WriteLoad(b.client, 'pb-', 2, 50).start()];
    let increments = 1;
    const deadline = Date.now() + PARTITION_MS;
    for (let round = 0; Date.now() < deadline; round++) {
      if (round < 20) {
        await del(a.client, `p${round}`); // p0..p19 deleted in a
        await del(b.client, `p${round + 10}`); // p10..p29 deleted in b (p10..p19 on both sides)
        await put(b.client, `p${round + 40}`, { side: 'b' }); // p40..p59 updated in b
        await put(a.client, `p${round + 40}`, { other: 'a' }); // and other bins of them in a
      }
      await incr(a.client, 2);
      await incr(b.client, 3);
      increments += 5;
      await sleep(200);
    }
    await Promise.all([la.stop(), lb.stop()]);
    // The cut held: nothing written during it reached the other side.
    const crossed = [await countPresent(b.client, la.acked), await countPresent(a.client, lb.acked)];
    assert.deepEqual(crossed.map((c) => c.present), [0, 0], 'writes crossed the partition');
    ka.proxy!.heal();
    kb.proxy!.heal();

    const report = await topo.converge(150_000);
    for (const c of [a.client, b.client]) {
      const counter = (await c.request<{ bins: { n: number } }>('GET', `/v1/records/${NS}/${SET}/counter`)).body;
      assert.equal(counter.bins.n, increments, 'every increment on both sides counts once (bin-lww counters)');
      const gone = await countPresent(c, Array.from({ length: 30 }, (_, i) => `p${i}`));
      assert.equal(gone.present, 0, 'deletes made on either side hold on both');
      const merged = (await c.request<{ bins: Record<string, unknown> }>('GET', `/v1/records/${NS}/${SET}/p45`)).body;
      assert.equal(merged.bins.side, 'b');
      assert.equal(merged.bins.other, 'a');
    }
    const [inB, inA] = [await countPresent(b.client, la.acked), await countPresent(a.client, lb.acked)];
    assert.deepEqual(inB.missing, []);
    assert.deepEqual(inA.missing, []);
    t.diagnostic(`cut ${PARTITION_MS / 1000} s: ${la.acked.size} + ${lb.acked.size} writes, 30 deletes, ${increments} increments; after heal present on the other side ${inB.present} + ${inA.present}; counter ${increments} in both; verify: ${report.namespaces[0]!.records.from} records identical`);
  });
});

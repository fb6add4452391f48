// Network faults: a region's Kafka broker down for 20 s under load, and the two
// regions cut off from each other for 30 s (every connection from a gateway to
// the other region's Kafka reset) with writes, deletes and increments on both
// sides. Each ends with verify identical and every acknowledged write present.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { suiteKafka } from './suite.js';
import { NS, Topology } from './topology.js';
import { SET, WriteLoad, countPresent } from './load.js';
import type { GatewayClient } from '../../xdr/cli/index.js';

const kafka = suiteKafka();

const BROKER_DOWN_MS = 20_000;
const PARTITION_MS = 30_000;

describe('network faults', { timeout: 300_000 }, () => {
  it("a region's Kafka broker down for 20 s under load: local writes go on, replication catches up", async (t) => {
    const topo = await Topology.create(t, kafka());
    await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const [la, lb] = [new WriteLoad(topo.gateway(topo.a).client, 'ka-', 3, 20).start(), new WriteLoad(topo.gateway(topo.b).client, 'kb-', 3, 20).start()];
    await la.waitForAcked(50);
    const broker = kafka().a.broker;
    await broker.stop();
    const downAt = la.acked.size;
    await sleep(BROKER_DOWN_MS);
    const duringOutage = la.acked.size - downAt;
    await broker.start();
    await la.waitForAcked(50);
    await Promise.all([la.stop(), lb.stop()]);
    const report = await topo.converge(150_000);
    const [inB, inA] = [await countPresent(topo.gateway(topo.b).client, la.acked), await countPresent(topo.gateway(topo.a).client, lb.acked)];
    assert.deepEqual(inB.missing, []);
    assert.deepEqual(inA.missing, []);
    assert.equal(la.failed() + lb.failed(), 0, 'local writes must not depend on Kafka');
    assert.ok(duringOutage > 0, 'the region kept acknowledging writes while its broker was down');
    t.diagnostic(`broker of ${topo.a.name} down ${BROKER_DOWN_MS / 1000} s: ${duringOutage} writes acknowledged meanwhile; acknowledged ${la.acked.size} + ${lb.acked.size}, present on the other side ${inB.present} + ${inA.present}; verify: ${report.namespaces[0]!.records.from} records identical`);
  });

  it('regions cut off from each other for 30 s with writes, deletes and increments on both sides converge once healed', async (t) => {
    const topo = await Topology.create(t, kafka(), { resolver: 'bin-lww' });
    const [a, b] = await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const put = (c: GatewayClient, key: string, bins: Record<string, unknown>) => c.request('PUT', `/v1/records/${NS}/${SET}/${key}`, { bins });
    const del = (c: GatewayClient, key: string) => c.request('DELETE', `/v1/records/${NS}/${SET}/${key}`);
    const incr = (c: GatewayClient, by: number) => c.request('POST', `/v1/records/${NS}/${SET}/counter/operate`, { ops: [{ op: 'incr', bin: 'n', value: by }] });

    for (let i = 0; i < 60; i++) await put(a.client, `p${i}`, { i, side: 'before' });
    await incr(a.client, 1);
    await topo.converge();

    const { a: ka, b: kb } = kafka();
    ka.proxy.cut();
    kb.proxy.cut();
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
    ka.proxy.heal();
    kb.proxy.heal();

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

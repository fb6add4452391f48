// A region's Kafka broker down for 20 s under load in both regions: local
// writes go on, replication catches up by itself once the broker is back;
// verify identical and every acknowledged write present on the other side.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANTI_ENTROPY_OFF, suiteKafka, Topology } from '../helpers/two-regions/index.js';
import { WriteLoad, countPresent } from './load.js';

// Tokyo's broker belongs to this file (the test stops it); Virginia's is the suite's.
const kafka = suiteKafka({ a: 'dedicated', b: 'shared' });

const BROKER_DOWN_MS = 20_000;

describe('Kafka broker outage', { timeout: 170_000 }, () => {
  it("a region's Kafka broker down for 20 s under load: local writes go on, replication catches up", async (t) => {
    const topo = await Topology.create(t, kafka(), { antiEntropy: ANTI_ENTROPY_OFF });
    await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const [la, lb] = [new WriteLoad(topo.gateway(topo.a).client, 'ka-', 3, 20).start(), new WriteLoad(topo.gateway(topo.b).client, 'kb-', 3, 20).start()];
    await la.waitForAcked(50);
    const broker = kafka().a.broker!;
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

});

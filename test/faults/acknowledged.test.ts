// Nothing acknowledged is lost, with the shipped configs: two regions as
// config/tokyo.yaml and config/virginia.yaml make them (user_data
// commit-to-device, sessions shipped, lww routes both ways, anti-entropy as
// shipped), two-way load of writes, overwrites of shared keys, increments of
// shared counters and durable deletes in both namespaces (~150 ops/s, 12 in
// flight), kill -9 of one gateway at a random moment, a restart with the same
// command line, then the other; no operator command. At the end every
// acknowledged operation holds in both regions, every counter equals its
// acknowledged increments (plus at most those in doubt), and verify reports
// the regions identical.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayClient } from '../../xdr/cli/index.js';
import { suiteKafka, Topology, type RegionSetup } from '../helpers/two-regions/index.js';
import { MixedLoad, checkKept, emptyModel } from './mixed-load.js';

const kafka = suiteKafka();

/** A kill at a random moment a few seconds into the load (the seed is printed with the result). */
function killDelayMs(): number {
  return 3_000 + Math.floor(Math.random() * 5_000);
}

describe('acknowledged means kept (shipped configs)', { timeout: 420_000 }, () => {
  it('kill -9 of each region in turn under two-way load loses nothing acknowledged, and the regions heal by themselves', async (t) => {
    const topo = await Topology.create(t, kafka());
    await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const clients = new Map<string, GatewayClient>([[topo.a.name, topo.gateway(topo.a).client], [topo.b.name, topo.gateway(topo.b).client]]);
    const model = emptyModel();
    const rows: string[] = [];
    for (const victim of [topo.a, topo.b] as RegionSetup[]) {
      const load = new MixedLoad(model, clients).start();
      const delayMs = killDelayMs();
      await sleep(delayMs);
      await topo.gateway(victim).proc.kill();
      const killedAt = model.operations.acked;
      // Restarted with the same command line while the other region keeps taking the load.
      const restarted = await topo.start(victim);
      clients.set(victim.name, restarted.client);
      await sleep(3_000);
      await load.stop();
      // No operator command: replication, the restart's peer rewinds and anti-entropy must heal it.
      const verify = await topo.converge(180_000);
      const kept = await checkKept(model, clients);
      const lost = Object.entries(kept.lost).map(([r, n]) => `${n} lost in ${r}`).join(', ');
      rows.push(`kill -9 ${victim.name} after ${delayMs} ms (${killedAt} acknowledged by then): ${kept.acknowledged} acknowledged, ${lost}, ${kept.countersOff} counter readings off of ${kept.counters * 2}; verify: ${verify.namespaces.map((n) => `${n.ns} ${n.records.from} records`).join(', ')} identical; in doubt ${model.operations.inDoubt}, refused ${model.operations.refused}`);
      t.diagnostic(rows[rows.length - 1]!);
      assert.deepEqual(kept.details, [], `acknowledged operations missing after kill -9 of ${victim.name}`);
      assert.equal(kept.countersOff, 0);
      for (const n of Object.values(kept.lost)) assert.equal(n, 0);
    }
    assert.ok(model.operations.acked > 500, `the load ran (${model.operations.acked} acknowledged)`);
  });
});

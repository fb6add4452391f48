// Divergence that replication cannot see, and its repair. Each region's engine
// is opened directly while its gateway is down and given versions "replicated
// from the peer" that the peer does not hold (as after the peer lost shipped
// writes in a crash, or Kafka lost them): the shipper never sends a version
// back to its origin, so only anti-entropy (or verify --repair) can repair
// them. Deletes are among them: a tombstone one region holds and the other not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, computeDigest } from '../../engine/index.js';
import { hlcFromMs, type RecordVersion } from '../../record/index.js';
import { loadConfig } from '../../xdr/config/index.js';
import { engineOptions } from '../../xdr/engine-options.js';
import { spawnTs } from '../helpers/spawn.js';
import { ANTI_ENTROPY_OFF, suiteKafka, NS, Topology, childEnv, root, type RegionSetup } from '../helpers/two-regions/index.js';
import { WriteLoad, countPresent, SET } from './load.js';

const kafka = suiteKafka();

function version(key: string, originId: number, lutMs: number, deleted = false): RecordVersion {
  const lut = hlcFromMs(lutMs);
  return { ns: NS, set: SET, digest: computeDigest(SET, key), key, generation: 1, voidTime: 0, lut, region: originId, deleted, bins: deleted ? {} : { n: 1, who: 'behind-replication' }, binLuts: deleted ? {} : { n: lut, who: lut } };
}

/** Opens a stopped region's engine as its gateway would and applies `versions` to it. */
async function applyBehindReplication(region: RegionSetup, versions: RecordVersion[]): Promise<void> {
  const config = loadConfig(region.configFile, { env: {} });
  const engine = await Engine.open(engineOptions(config));
  try {
    for (const v of versions) await engine.applyVersion(v);
  } finally {
    await engine.close();
  }
}

/**
 * Both regions get writes (shipped normally), then, with both gateways down,
 * each region is given versions originating at the OTHER region that the other
 * does not have, plus tombstones of records both hold. Returns the keys each
 * region alone holds and the keys deleted in one region only.
 */
async function diverge(topo: Topology): Promise<{ onlyInA: string[]; onlyInB: string[]; deletedInB: string[] }> {
  const a = topo.gateway(topo.a);
  const load = new WriteLoad(a.client, 'shared-', 4, 1).start();
  await load.waitForAcked(60);
  await load.stop();
  const lastWriteMs = Date.now();
  await topo.converge();
  await Promise.all([topo.gateway(topo.a).proc.stop(), topo.gateway(topo.b).proc.stop()]);
  // Old enough to be outside any settle window (1 s), and newer than every shared write, so
  // the tombstones win: on a fast machine the stops end within 1 s of the last write, so
  // wait out the rest of that second first (a lut from the clock, not a pause for an event).
  const waitMs = lastWriteMs + 1001 - Date.now();
  if (waitMs > 0) await sleep(waitMs);
  const lutMs = Date.now() - 1000;
  assert.ok(lutMs > lastWriteMs, 'the one-sided tombstones are newer than every shared write');
  const onlyInA = Array.from({ length: 25 }, (_, i) => `only-a-${i}`);
  const onlyInB = Array.from({ length: 35 }, (_, i) => `only-b-${i}`);
  const deletedInB = [...load.acked].slice(0, 10);
  await applyBehindReplication(topo.a, onlyInA.map((k) => version(k, topo.b.id, lutMs)));
  await applyBehindReplication(topo.b, [...onlyInB.map((k) => version(k, topo.a.id, lutMs)), ...deletedInB.map((k) => version(k, topo.a.id, lutMs, true))]);
  await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
  return { onlyInA, onlyInB, deletedInB };
}

async function assertRepaired(topo: Topology, d: { onlyInA: string[]; onlyInB: string[]; deletedInB: string[] }): Promise<void> {
  for (const region of [topo.a, topo.b]) {
    const client = topo.gateway(region).client;
    assert.deepEqual((await countPresent(client, [...d.onlyInA, ...d.onlyInB])).missing, [], `records only one region held are in ${region.name}`);
    assert.equal((await countPresent(client, d.deletedInB)).present, 0, `records deleted in one region only are deleted in ${region.name}`);
  }
}

interface PairStats {
  route: string;
  lead: boolean;
  state: string;
  passes: number;
  reshipped_total: number;
  partitions_differing: number;
  errors: number;
}

/** The anti-entropy pairs of NS (the shipped configs replicate sessions too, which this test leaves alone). */
async function antiEntropyStats(topo: Topology, region: RegionSetup): Promise<PairStats[]> {
  const pairs = (await topo.gateway(region).client.request<{ antiEntropy: Array<PairStats & { ns: string }> }>('GET', '/v1/stats')).body.antiEntropy;
  return pairs.filter((p) => p.ns === NS);
}

describe('anti-entropy', { timeout: 240_000 }, () => {
  it('repairs divergence behind replication’s back with no operator command; verify then reports identical', async (t) => {
    // Short intervals: the first pass a second after start, then every two seconds.
    const topo = await Topology.create(t, kafka(), { antiEntropy: { interval: '2s', 'first-pass-delay': '1s', settle: '1s', 'records-per-sec': 20000, 'digests-per-request': 16 } });
    await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const d = await diverge(topo);
    const report = await topo.converge(90_000);
    await assertRepaired(topo, d);
    // Tokyo-like `a` sorts first: it leads the pair; `b` runs no periodic pass.
    const [lead] = await antiEntropyStats(topo, topo.a);
    const [other] = await antiEntropyStats(topo, topo.b);
    assert.equal(lead!.lead, true);
    assert.ok(lead!.passes >= 1 && lead!.reshipped_total >= d.onlyInA.length + d.onlyInB.length + d.deletedInB.length, JSON.stringify(lead));
    assert.equal(other!.lead, false);
    assert.equal(other!.passes, 0, 'the other region of the pair runs no periodic pass');
    const metrics = await (await fetch(`${topo.a.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`xdrgate_xdr_anti_entropy_reshipped\\{[^}]*route="${lead!.route}"[^}]*\\} ${lead!.reshipped_total}`));
    assert.match(metrics, /xdrgate_xdr_reshipped\{/);
    // Later passes find nothing more to do.
    const passes = lead!.passes;
    const deadline = Date.now() + 30_000;
    let later = lead!;
    while (later.passes < passes + 2 && Date.now() < deadline) {
      await sleep(200);
      later = (await antiEntropyStats(topo, topo.a))[0]!;
    }
    assert.equal(later.partitions_differing, 0, JSON.stringify(later));
    assert.equal(later.errors, 0);
    t.diagnostic(`repaired ${d.onlyInA.length} + ${d.onlyInB.length} records held by one region and ${d.deletedInB.length} one-sided deletes: ${lead!.reshipped_total} re-shipped in ${lead!.passes} pass(es); verify: ${report.namespaces[0]!.records.from} records identical`);
  });

  it('xdrgate verify --repair repairs on demand and exits 0 once identical', async (t) => {
    const topo = await Topology.create(t, kafka(), { antiEntropy: ANTI_ENTROPY_OFF });
    await Promise.all([topo.start(topo.a), topo.start(topo.b)]);
    const d = await diverge(topo);
    assert.equal((await topo.verify()).identical, false, 'the divergence is there before the repair');
    const cli = spawnTs(t, path.join(root, 'bin', 'xdrgate.js'), { args: ['verify', '--from', topo.a.url, '--to', topo.b.url, '--ns', NS, '--repair', '--json'], env: childEnv() });
    const { code } = await cli.exited;
    assert.equal(code, 0, `verify --repair exited ${code}:\n${cli.stdout()}\n${cli.stderr()}`);
    const out = JSON.parse(cli.stdout()) as { identical: boolean; repair: Array<{ reshippedAtoB: number; reshippedBtoA: number }> };
    assert.equal(out.identical, true);
    // a re-ships what only it holds and its side of the differing records; b likewise.
    assert.ok(out.repair[0]!.reshippedAtoB >= d.onlyInA.length && out.repair[0]!.reshippedBtoA >= d.onlyInB.length + d.deletedInB.length, JSON.stringify(out.repair));
    await assertRepaired(topo, d);
    t.diagnostic(`verify --repair: re-shipped ${out.repair[0]!.reshippedAtoB} a→b and ${out.repair[0]!.reshippedBtoA} b→a; identical afterwards`);
  });
});

// A repair pass between two in-memory regions: whatever they start from, after
// the pass (and its re-ships, applied through an lww resolver) they hold the
// same records. Seeded property test; the failing seed is printed by fast-check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PARTITION_COUNT, type PartitionDigest, type PartitionRecordEntry } from '../../../../engine/index.js';
import { RecordBudget, runPass, type PairSide } from '../../../../xdr/anti-entropy/index.js';

interface Rec {
  lut: number;
  value: number;
  deleted: boolean;
}

/** A region holding records by hex digest; partition = first byte pair & 0x0fff as the engine computes it, here just digest mod 4096. */
class MemRegion {
  readonly records = new Map<string, Rec>();
  reshipCalls = 0;
  constructor(readonly name: string) {}

  static pid(digest: string): number {
    return Number.parseInt(digest.slice(0, 4), 16) % PARTITION_COUNT;
  }

  entry(digest: string, r: Rec): PartitionRecordEntry {
    return { digest, set: 's', generation: 1, lut: r.lut, region: 1, voidTime: 0, deleted: r.deleted, bins: r.deleted ? 0 : 1, hash: `${r.lut}:${r.value}:${r.deleted}` };
  }

  listing(pid: number, lutMax = Number.POSITIVE_INFINITY): PartitionRecordEntry[] {
    return [...this.records].filter(([d, r]) => MemRegion.pid(d) === pid && r.lut <= lutMax).map(([d, r]) => this.entry(d, r)).sort((x, y) => (x.digest < y.digest ? -1 : 1));
  }

  /** lww: the incoming version wins when newer, or equal lut and larger value (a deterministic tie-break). */
  apply(digest: string, incoming: Rec): void {
    const local = this.records.get(digest);
    if (local === undefined || incoming.lut > local.lut || (incoming.lut === local.lut && incoming.value > local.value)) this.records.set(digest, { ...incoming });
  }

  side(peer: () => MemRegion, log: string[]): PairSide {
    return {
      name: this.name,
      digests: async (_ns, from, to, lutMax): Promise<PartitionDigest[]> => {
        const out: PartitionDigest[] = [];
        for (let pid = from; pid <= to; pid++) {
          const l = this.listing(pid, lutMax);
          out.push({ pid, records: l.length, hash: l.map((e) => `${e.digest}=${e.hash}`).join(',') });
        }
        return out;
      },
      records: async (_ns, pid) => this.listing(pid),
      reship: async (route, _ns, digests) => {
        this.reshipCalls++;
        log.push(`${route}:${digests.length}`);
        let shipped = 0;
        for (const d of digests) {
          const r = this.records.get(d);
          if (r) {
            peer().apply(d, r);
            shipped++;
          }
        }
        return { requested: digests.length, shipped, notFound: digests.length - shipped, filteredOut: 0, abandoned: 0 };
      },
    };
  }
}

const recArb = fc.record({ lut: fc.integer({ min: 1, max: 100 }), value: fc.integer({ min: 0, max: 3 }), deleted: fc.boolean() });
const digestArb = fc.stringMatching(/^[0-9a-f]{8}$/);

function options(a: MemRegion, b: MemRegion, log: string[], extra: Partial<Parameters<typeof runPass>[0]> = {}): Parameters<typeof runPass>[0] {
  return {
    ns: 'test', a: a.side(() => b, log), b: b.side(() => a, log), aRoute: 'a-b', bRoute: 'b-a', lutMax: undefined, recordsPerPass: 1e9, reshipPerPass: 1e9,
    digestsPerRequest: 3, concurrentRequests: 2, budget: new RecordBudget(1e9, 0), partitionsPerRequestMax: 512, targetRecordsPerRequest: 1e6,
    nowMs: () => 0, sleep: async () => undefined, isStopping: () => false, ...extra,
  };
}

test('one pass makes two regions identical, whatever records each holds', async () => {
  await fc.assert(
    fc.asyncProperty(fc.dictionary(digestArb, recArb, { maxKeys: 40 }), fc.dictionary(digestArb, recArb, { maxKeys: 40 }), fc.dictionary(digestArb, recArb, { maxKeys: 20 }), async (onlyA, onlyB, both) => {
      const a = new MemRegion('a');
      const b = new MemRegion('b');
      for (const [d, r] of Object.entries(onlyA)) a.records.set(d, { ...r });
      for (const [d, r] of Object.entries(onlyB)) b.records.set(d, { ...r });
      for (const [d, r] of Object.entries(both)) {
        a.records.set(d, { ...r });
        b.records.set(d, { ...r, value: (r.value + 1) % 4 });
      }
      const log: string[] = [];
      const result = await runPass(options(a, b, log));
      assert.deepEqual([...a.records].sort(), [...b.records].sort());
      assert.equal(result.complete, true);
      assert.equal(result.partitionsCompared, PARTITION_COUNT);
      // Requests never carry more digests than allowed.
      for (const l of log) assert.ok(Number(l.split(':')[1]) <= 3);
      // A second pass finds nothing to do.
      const again = await runPass(options(a, b, []));
      assert.equal(again.partitionsDiffering + again.reshippedAtoB + again.reshippedBtoA, 0);
    }),
    { numRuns: 60 },
  );
});

test('records changed after the cutoff are left for a later pass; records-per-pass and reship-per-pass bound a pass', async () => {
  const a = new MemRegion('a');
  const b = new MemRegion('b');
  for (let i = 0; i < 50; i++) a.records.set((i * 997).toString(16).padStart(8, '0'), { lut: i < 10 ? 500 : 5, value: 1, deleted: false });
  const first = await runPass(options(a, b, [], { lutMax: 100 }));
  assert.equal(first.settling, 10);
  assert.equal(first.reshippedAtoB, 40);
  assert.equal(b.records.size, 40);
  const second = await runPass(options(a, b, [], { lutMax: 1000 }));
  assert.equal(second.reshippedAtoB, 10);
  assert.equal(b.records.size, 50);

  const c = new MemRegion('c');
  const d = new MemRegion('d');
  for (let i = 0; i < 50; i++) c.records.set((i * 997).toString(16).padStart(8, '0'), { lut: 5, value: 1, deleted: false });
  const capped = await runPass(options(c, d, [], { reshipPerPass: 7 }));
  assert.equal(capped.reshippedAtoB, 7);
  assert.equal(capped.reshipDeferred, 43);
  const partial = await runPass(options(c, d, [], { recordsPerPass: 10, partitionsPerRequestMax: 64 }));
  assert.equal(partial.complete, false);
  assert.ok(partial.nextPid > 0 && partial.nextPid < PARTITION_COUNT);
  const rest = await runPass(options(c, d, [], { startPid: partial.nextPid }));
  assert.equal(rest.complete, true);
  assert.equal(d.records.size, 50);
});

test('the budget paces hashing: sleeps add up to records / rate', async () => {
  const a = new MemRegion('a');
  const b = new MemRegion('b');
  for (let i = 0; i < 400; i++) {
    const d = (i * 7919).toString(16).padStart(8, '0');
    a.records.set(d, { lut: 1, value: 1, deleted: false });
    b.records.set(d, { lut: 1, value: 1, deleted: false });
  }
  let clock = 0;
  const result = await runPass(options(a, b, [], { budget: new RecordBudget(100, 0), targetRecordsPerRequest: 25, nowMs: () => clock, sleep: async (ms) => void (clock += ms) }));
  assert.equal(result.recordsHashed, 800);
  // 800 records at 100/s: about 8 s of (simulated) time, less the one second the budget may bank.
  assert.ok(clock >= 7000 && clock <= 8100, `paced over ${clock} ms`);
});

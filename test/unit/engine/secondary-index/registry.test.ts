import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  SecondaryIndexes,
  decodeIndexSpecs,
  encodeIndexSpecs,
  filterRanges,
  matchesFilter,
  stringKey,
  type SecondaryIndex,
} from '../../../../engine/secondary-index/index.js';
import type { QueryFilter } from '../../../../engine/api.js';
import type { Bins } from '../../../../record/index.js';
import { thrownCodeOrNull } from '../../../helpers/error-code.js';

test('create, list, drop, and the errors of each', () => {
  const reg = new SecondaryIndexes('ns1');
  reg.add({ name: 'idx_tier', ns: 'ns1', set: 'profiles', bin: 'account_tier', type: 'integer' });
  reg.add({ name: 'idx_plan', ns: 'ns1', bin: 'plan', type: 'string' });
  assert.deepEqual(reg.list().map((s) => s.name), ['idx_tier', 'idx_plan']);
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'idx_tier', ns: 'ns1', bin: 'x', type: 'integer' })), 'ENGINE_ERR_SINDEX_EXISTS');
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'other', ns: 'ns1', set: 'profiles', bin: 'account_tier', type: 'integer' })), 'ENGINE_ERR_SINDEX_EXISTS');
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'same-bin-other-type', ns: 'ns1', set: 'profiles', bin: 'account_tier', type: 'string' })), null);
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'bad', ns: 'ns1', bin: 'sixteen-bytes-xx', type: 'integer' })), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'bad', ns: 'ns1', bin: 'b', type: 'double' as never })), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCodeOrNull(() => reg.add({ name: 'bad', ns: 'other', bin: 'b', type: 'integer' })), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCodeOrNull(() => reg.add({ name: '', ns: 'ns1', bin: 'b', type: 'integer' })), 'ENGINE_ERR_INVALID_ARGUMENT');
  reg.remove('idx_plan');
  assert.equal(thrownCodeOrNull(() => reg.remove('idx_plan')), 'ENGINE_ERR_SINDEX_NOT_FOUND');
  assert.equal(thrownCodeOrNull(() => reg.forQuery({ bin: 'plan', equals: 'x' }, undefined)), 'ENGINE_ERR_SINDEX_NOT_FOUND');
});

test('query index choice: exact set, then all-sets index; a one-set index does not answer another set', () => {
  const reg = new SecondaryIndexes('ns');
  const inSet = reg.add({ name: 'a', ns: 'ns', set: 's1', bin: 'n', type: 'integer' });
  assert.equal(reg.forQuery({ bin: 'n', equals: 1 }, 's1'), inSet);
  assert.equal(reg.forQuery({ bin: 'n', equals: 1 }, undefined), inSet);
  assert.equal(thrownCodeOrNull(() => reg.forQuery({ bin: 'n', equals: 1 }, 's2')), 'ENGINE_ERR_SINDEX_NOT_FOUND');
  assert.equal(thrownCodeOrNull(() => reg.forQuery({ bin: 'n', equals: 'text' }, 's1')), 'ENGINE_ERR_SINDEX_NOT_FOUND');
  const all = reg.add({ name: 'b', ns: 'ns', bin: 'n', type: 'integer' });
  assert.equal(reg.forQuery({ bin: 'n', equals: 1 }, 's2'), all);
  assert.equal(reg.forQuery({ bin: 'n', equals: 1 }, undefined), all);
  assert.equal(reg.forQuery({ bin: 'n', between: [1, 2] }, 's1'), inSet);
});

test('filters: ranges in key space and exact matching', () => {
  assert.deepEqual(filterRanges({ bin: 'b', equals: 3 }), [[3, 3]]);
  assert.deepEqual(filterRanges({ bin: 'b', equals: 1.5 }), []);
  assert.deepEqual(filterRanges({ bin: 'b', between: [1.5, 4.5] }), [[2, 4]]);
  assert.deepEqual(filterRanges({ bin: 'b', between: [5, 4] }), []);
  assert.deepEqual(filterRanges({ bin: 'b', equals: 'x' }), [[stringKey('x'), stringKey('x')]]);
  assert.equal(matchesFilter({ bin: 'b', equals: 2n ** 60n }, { b: 2n ** 60n }), true);
  assert.equal(matchesFilter({ bin: 'b', equals: 2 }, { b: 2.5 }), false);
  assert.equal(matchesFilter({ bin: 'b', between: [1, 3] }, { b: 3 }), true);
  assert.equal(matchesFilter({ bin: 'b', between: [1, 3] }, { b: '2' }), false);
  assert.equal(matchesFilter({ bin: 'b', equals: 'x' }, { b: 'x' }), true);
  assert.equal(matchesFilter({ bin: 'b', equals: 'x' }, {}), false);
});

test('spec files round-trip; damaged ones are corrupted-storage errors naming the file', () => {
  const specs = [
    { name: 'i1', ns: 'n', set: 's', bin: 'b', type: 'integer' as const },
    { name: 'i2', ns: 'n', bin: 'c', type: 'string' as const },
  ];
  assert.deepEqual(decodeIndexSpecs(encodeIndexSpecs(specs), 'f.json'), specs);
  for (const text of ['{', '{"format":"x"}', JSON.stringify({ format: 'xdrgate-sindex-specs', version: 1, indexes: [{ name: 'x' }] })]) {
    assert.equal(thrownCodeOrNull(() => decodeIndexSpecs(text, 'f.json')), 'ENGINE_ERR_CORRUPTED_STORAGE');
  }
});

// ---------------------------------------------------------------------------
// The main property: after any sequence of writes, deletes, expiries and nsup
// passes, every query through the index returns exactly what a full scan finds.
// ---------------------------------------------------------------------------

interface Row {
  set: string;
  bins: Bins;
  voidTime: number; // 0 = never
}

class ModelStore {
  readonly rows = new Map<number, Row>();
  private readonly keyToSlot = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  now = 100;

  constructor(readonly reg: SecondaryIndexes) {}

  private live(row: Row | undefined): row is Row {
    return row !== undefined && !this.expired(row);
  }

  private expired(row: Row): boolean {
    return row.voidTime !== 0 && row.voidTime <= this.now;
  }

  write(set: string, key: number, bins: Bins, ttl: number): void {
    const id = `${set}/${key}`;
    let slot = this.keyToSlot.get(id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.nextSlot++;
      this.keyToSlot.set(id, slot);
    }
    const prev = this.rows.get(slot);
    const merged = this.live(prev) ? { ...prev.bins, ...bins } : { ...bins };
    for (const name of Object.keys(merged)) if (merged[name] === null) delete merged[name];
    const row = { set, bins: merged, voidTime: ttl === 0 ? 0 : this.now + ttl };
    this.rows.set(slot, row);
    this.reg.onWrite(slot, set, row.bins);
  }

  remove(set: string, key: number): void {
    const id = `${set}/${key}`;
    const slot = this.keyToSlot.get(id);
    if (slot === undefined) return;
    this.keyToSlot.delete(id);
    this.rows.delete(slot);
    this.freeSlots.push(slot);
    this.reg.onWrite(slot, set, null);
  }

  /** nsup: drops expired records (until then they are only invisible). */
  nsup(): void {
    for (const [slot, row] of this.rows) {
      if (!this.expired(row)) continue;
      for (const [id, s] of this.keyToSlot) if (s === slot) this.keyToSlot.delete(id);
      this.rows.delete(slot);
      this.freeSlots.push(slot);
      this.reg.onWrite(slot, row.set, null);
    }
  }

  query(filter: QueryFilter, set: string | undefined, page: number): number[] {
    const index: SecondaryIndex = this.reg.forQuery(filter, set);
    const ranges = filterRanges(filter);
    if (ranges.length !== 1) return [];
    const range = ranges[0]!;
    const found: number[] = [];
    const slots: number[] = [];
    let cursor = index.read(range[0], range[1], null, page, slots);
    for (;;) {
      for (const slot of slots) {
        const row = this.rows.get(slot);
        if (this.live(row) && (set === undefined || row.set === set) && matchesFilter(filter, row.bins)) found.push(slot);
      }
      if (cursor === null) break;
      slots.length = 0;
      cursor = index.read(range[0], range[1], cursor, page, slots);
    }
    return found.sort((a, b) => a - b);
  }

  scan(filter: QueryFilter, set: string | undefined, indexSet: string | undefined): number[] {
    const found: number[] = [];
    for (const [slot, row] of this.rows) {
      if (!this.live(row)) continue;
      if (set !== undefined && row.set !== set) continue;
      if (indexSet !== undefined && row.set !== indexSet) continue;
      if (matchesFilter(filter, row.bins)) found.push(slot);
    }
    return found.sort((a, b) => a - b);
  }
}

const sets = ['s1', 's2'];
const smallValue = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(2n ** 60n, -(2n ** 60n), 2.5, null, true),
  fc.constantFrom('a', 'b', 'c', ''),
);
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), set: fc.constantFrom(...sets), key: fc.integer({ min: 0, max: 30 }), n: smallValue, s: smallValue, ttl: fc.constantFrom(0, 0, 5, 20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), set: fc.constantFrom(...sets), key: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), sec: fc.integer({ min: 1, max: 15 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nsup' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const) }) },
);
const filterArb: fc.Arbitrary<QueryFilter> = fc.oneof(
  fc.integer({ min: -6, max: 6 }).map((v) => ({ bin: 'n', equals: v })),
  fc.constantFrom(2n ** 60n, -(2n ** 60n)).map((v) => ({ bin: 'n', equals: v })),
  fc.tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 })).map(([a, b]) => ({ bin: 'n', between: [a, b] as [number, number] })),
  fc.constant<QueryFilter>({ bin: 'n', between: [-(2n ** 63n), 2n ** 63n - 1n] }),
  fc.constantFrom('a', 'b', 'c', '', 'zz').map((v) => ({ bin: 's', equals: v })),
);

test('property: an index query equals a full scan under random writes, deletes, expiry and nsup', () => {
  fc.assert(
    fc.property(fc.array(action, { maxLength: 200 }), fc.array(fc.tuple(filterArb, fc.constantFrom(undefined, 's1', 's2')), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 8 }), (actions, queries, page) => {
      const reg = new SecondaryIndexes('ns');
      const store = new ModelStore(reg);
      // Indexes exist from the start except the set-limited one, which is created (and built) midway.
      reg.add({ name: 'n_all', ns: 'ns', bin: 'n', type: 'integer' });
      reg.add({ name: 's_all', ns: 'ns', bin: 's', type: 'string' });
      for (const a of actions) {
        if (a.kind === 'write') store.write(a.set, a.key, { n: a.n, s: a.s }, a.ttl);
        else if (a.kind === 'remove') store.remove(a.set, a.key);
        else if (a.kind === 'tick') store.now += a.sec;
        else if (a.kind === 'nsup') store.nsup();
        else if (reg.get('n_s1') === undefined) {
          const index = reg.add({ name: 'n_s1', ns: 'ns', set: 's1', bin: 'n', type: 'integer' });
          index.beginBuild();
          for (const [slot, row] of store.rows) index.buildAdd(slot, row.set, row.bins);
          index.endBuild();
        }
      }
      for (const index of reg.all()) index.checkInvariants();
      for (const [filter, set] of queries) {
        const index = reg.forQuery(filter, set);
        assert.deepEqual(store.query(filter, set, page), store.scan(filter, set, index.spec.set), `${JSON.stringify(filter, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))} set=${set}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('a build does not file an older version over a write that happened during the build', () => {
  const reg = new SecondaryIndexes('ns');
  const index = reg.add({ name: 'i', ns: 'ns', bin: 'n', type: 'integer' });
  index.beginBuild();
  // The builder read slot 1 as n=1, then a writer stored n=2 before the builder filed it.
  reg.onWrite(1, 'set', { n: 2 });
  index.buildAdd(1, 'set', { n: 1 });
  index.buildAdd(2, 'set', { n: 1 });
  index.endBuild();
  assert.deepEqual(index.pairs(), [[1, 2], [2, 1]]);
});

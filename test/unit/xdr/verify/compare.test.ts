// The pure half of verify: differing partitions and record-level differences
// found by one merge pass equal what a set comparison of the two listings says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PartitionRecordEntry } from '../../../../engine/index.js';
import { describeDiff, diffRecords, differingPartitions } from '../../../../xdr/verify/index.js';

const entry = (digest: string, over: Partial<PartitionRecordEntry> = {}): PartitionRecordEntry => ({
  digest, set: 's', key: `k-${digest}`, keyType: 'string', generation: 1, lut: 1000, region: 1, voidTime: 0, deleted: false, bins: 2, hash: `h-${digest}`, ...over,
});

test('diffRecords finds exactly the missing and changed records', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }),
      fc.array(fc.constantFrom('keep', 'drop-from', 'drop-to', 'gen', 'hash'), { minLength: 60, maxLength: 60 }),
      (ids, fates) => {
        const digests = ids.map((i) => i.toString(16).padStart(40, '0')).sort();
        const from: PartitionRecordEntry[] = [];
        const to: PartitionRecordEntry[] = [];
        const expected = new Map<string, string>();
        digests.forEach((d, i) => {
          const fate = fates[i]!;
          if (fate !== 'drop-from') from.push(entry(d));
          if (fate === 'drop-to') expected.set(d, 'missing:to');
          else if (fate === 'drop-from') {
            to.push(entry(d));
            expected.set(d, 'missing:from');
          } else if (fate === 'gen') {
            to.push(entry(d, { generation: 2, hash: 'other' }));
            expected.set(d, 'different:generation');
          } else if (fate === 'hash') {
            to.push(entry(d, { hash: 'other' }));
            expected.set(d, 'different:bin values');
          } else to.push(entry(d));
        });
        const found = new Map(diffRecords(from, to).map((x) => (x.kind === 'missing' ? [x.record.digest, `missing:${x.in}`] : [x.digest, `different:${x.fields.join(',')}`])));
        assert.deepEqual(found, expected);
      },
    ),
    { numRuns: 300 },
  );
});

test('differingPartitions compares hashes and counts, and notices a partition one side lacks', () => {
  const p = (pid: number, hash: string, records = 1) => ({ pid, hash, records });
  assert.deepEqual(differingPartitions([p(0, 'a'), p(1, 'b'), p(2, 'c')], [p(0, 'a'), p(1, 'x'), p(3, 'c')]), [1, 2, 3]);
  assert.deepEqual(differingPartitions([p(5, 'a', 1)], [p(5, 'a', 2)]), [5]);
  assert.deepEqual(differingPartitions([], []), []);
});

test('describeDiff names the record as a user would', () => {
  const names = { from: 'tokyo', to: 'virginia' };
  assert.equal(describeDiff('ns', { kind: 'missing', in: 'to', record: entry('ab', { key: 7, keyType: 'integer' }) }, names), 'ns/s/7 (integer): only in tokyo (2 bins, gen 1, lut 1000, region 1); missing in virginia');
  assert.match(describeDiff('ns', { kind: 'different', digest: 'ab', fields: ['deleted'], from: entry('ab'), to: entry('ab', { deleted: true }) }, names), /ns\/s\/k-ab: differs \(deleted false vs true\) \[tokyo vs virginia\]/);
  const noKey = entry('cd');
  delete noKey.key;
  assert.match(describeDiff('ns', { kind: 'missing', in: 'from', record: noKey }, names), /ns\/s\/digest:cd: only in virginia/);
});

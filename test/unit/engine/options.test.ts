import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEngineError } from '../../../engine/errors.js';
import { NAMESPACE_DEFAULTS, resolveEngineOptions, type EngineOptions } from '../../../engine/options.js';

const base: EngineOptions = { dataDir: '/tmp/x', regionId: 1, namespaces: [{ name: 'test' }] };

function problemsOf(options: unknown): Array<{ field: string }> {
  try {
    resolveEngineOptions(options as EngineOptions);
  } catch (err) {
    assert.ok(isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
    return err.details.problems as Array<{ field: string }>;
  }
  return [];
}

test('defaults are filled in and the result is frozen', () => {
  const r = resolveEngineOptions(base);
  const ns = r.namespaces[0]!;
  assert.equal(ns.writeBlockSize, NAMESPACE_DEFAULTS.writeBlockSize);
  assert.equal(ns.defaultTtl, 0);
  assert.equal(ns.commitToDevice, true, 'acknowledged means kept by default');
  assert.equal(ns.devices.length, 1);
  assert.ok(ns.devices[0]!.endsWith('/tmp/x/test/data-0.dat'));
  assert.ok(Object.isFrozen(ns));
});

test('every invalid option is reported with its path', () => {
  const problems = problemsOf({
    dataDir: '', regionId: 300,
    namespaces: [{ name: 'bad name', writeBlockSize: 5000, stopWritesPct: 0, defragLwmPct: 100, commitToDevice: 'yes', typo: 1 }, { name: 'ok', highWaterDiskPct: 95 }],
  });
  const fields = problems.map((p) => p.field).sort();
  for (const f of ['dataDir', 'regionId', 'namespaces[0].name', 'namespaces[0].writeBlockSize', 'namespaces[0].stopWritesPct',
    'namespaces[0].defragLwmPct', 'namespaces[0].commitToDevice', 'namespaces[0].typo', 'namespaces[1].highWaterDiskPct']) {
    assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
  }
});

test('a device too small for the write block size, duplicate names and devices are rejected', () => {
  assert.deepEqual(problemsOf({ ...base, namespaces: [{ name: 'a', filesize: 128 * 1024 }] }).map((p) => p.field), ['namespaces[0].filesize']);
  assert.deepEqual(problemsOf({ ...base, namespaces: [{ name: 'a' }, { name: 'a' }] }).map((p) => p.field), ['namespaces']);
  assert.deepEqual(problemsOf({ ...base, namespaces: [{ name: 'a', devices: ['x', 'x'] }] }).map((p) => p.field), ['namespaces[0].devices']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANGELOG_DEFAULTS } from '../../../../engine/changelog/index.js';
import { resolveOptions } from '../../../../engine/changelog/options.js';
import { isEngineError } from '../../../../engine/errors.js';

test('defaults are filled in and the result is frozen', () => {
  const o = resolveOptions({ dir: '/tmp/x', ns: 'test' });
  assert.equal(o.segmentBytes, CHANGELOG_DEFAULTS.segmentBytes);
  assert.equal(o.retainBytesMax, CHANGELOG_DEFAULTS.retainBytesMax);
  assert.equal(o.flushMaxMs, 1000);
  assert.equal(o.readVisibility, 'durable');
  assert.ok(Object.isFrozen(o));
});

test('invalid options name the field', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ dir: '' }, 'dir'],
    [{ ns: '' }, 'ns'],
    [{ chunkBytes: 10 }, 'chunkBytes'],
    [{ chunkBytes: 1 << 20, segmentBytes: 1 << 19 }, 'segmentBytes'],
    [{ segmentBytes: 1 << 20, retainBytesMax: 1 << 20 }, 'retainBytesMax'],
    [{ flushMaxMs: 0 }, 'flushMaxMs'],
    [{ flushMaxMs: 1.5 }, 'flushMaxMs'],
    [{ readVisibility: 'eventually' }, 'readVisibility'],
  ];
  for (const [patch, field] of cases) {
    assert.throws(
      () => resolveOptions({ dir: '/tmp/x', ns: 'test', ...patch } as never),
      (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT') && err.details.field === field,
      field,
    );
  }
});

// The custom resolver contract: a broken module can only leave the local record untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFLICT_ERRORS,
  isConflictError,
  isResolverModule,
  isResolverName,
  resolverByName,
  resolverFromModule,
  wrapCustomResolver,
  type ResolveFn,
  type Version,
} from '../../../conflict/index.js';
import { version } from './fixtures.js';

const ctx = { regionId: 1 };
const local = version({ lut: 100, bins: { score: 5 } });
const incoming = version({ lut: 200, region: 2, bins: { score: 3 } });

const higherScore: ResolveFn = (l, i) => {
  if (l === null) return { action: 'take-incoming', reason: 'applied' };
  return (i.bins.score as number) > (l.bins.score as number) ? { action: 'take-incoming', reason: 'applied' } : { action: 'keep-local', reason: 'older' };
};

test('a well-behaved custom resolver decides', () => {
  const r = wrapCustomResolver(higherScore, 'higher-score');
  assert.equal(r.name, 'higher-score');
  assert.deepEqual(r.resolve(local, incoming, ctx), { action: 'keep-local', reason: 'older' });
  assert.deepEqual(r.resolve(incoming, local, ctx), { action: 'take-incoming', reason: 'applied' });
});

test('a merge decision with a valid version of the same record is accepted', () => {
  const r = wrapCustomResolver((l, i) => ({ action: 'merge', reason: 'merged', version: { ...i, bins: { score: 8 } } }), 'sum');
  const d = r.resolve(local, incoming, ctx);
  assert.equal(d.action, 'merge');
  assert.deepEqual((d as { version: Version }).version.bins, { score: 8 });
});

test('a throwing resolver keeps the local record, with a counted typed error', () => {
  const boom = new Error('boom');
  const r = wrapCustomResolver(() => {
    throw boom;
  }, 'broken');
  const d = r.resolve(local, incoming, ctx);
  assert.equal(d.action, 'keep-local');
  assert.equal(d.reason, 'error');
  assert.ok(d.action === 'keep-local' && isConflictError(d.error, 'CONFLICT_ERR_CUSTOM_THREW'));
  assert.equal((d.error as Error).cause, boom);
});

test('malformed decisions keep the local record', () => {
  const bad: unknown[] = [
    undefined,
    null,
    42,
    { action: 'explode' },
    { action: 'keep-local', reason: 'applied' },
    { action: 'take-incoming', reason: 'merged' },
    { action: 'merge', reason: 'merged' },
    { action: 'merge', reason: 'merged', version: { ...incoming, generation: 'x' } },
    { action: 'merge', reason: 'merged', version: { ...incoming, digest: new Uint8Array(20) } },
    Promise.resolve({ action: 'take-incoming', reason: 'applied' }),
  ];
  for (const result of bad) {
    const d = wrapCustomResolver(() => result as never, 'bad').resolve(local, incoming, ctx);
    assert.equal(d.reason, 'error', `accepted ${String(result)}`);
    assert.ok(d.action === 'keep-local' && isConflictError(d.error, 'CONFLICT_ERR_CUSTOM_INVALID_DECISION'));
  }
});

test('isResolverModule and resolverFromModule accept resolve, a default function or default.resolve', () => {
  for (const mod of [{ resolve: higherScore }, { default: higherScore }, { default: { resolve: higherScore } }]) {
    assert.equal(isResolverModule(mod), true);
    assert.equal(resolverFromModule(mod, 'm').resolve(local, incoming, ctx).action, 'keep-local');
  }
  for (const mod of [null, undefined, 7, {}, { resolve: 'no' }, { default: {} }]) {
    assert.equal(isResolverModule(mod), false);
    assert.throws(() => resolverFromModule(mod, 'm'), (err) => isConflictError(err, 'CONFLICT_ERR_INVALID_MODULE'));
  }
});

test('resolverByName gives the built-ins and a typed error for anything else', () => {
  for (const name of ['lww', 'generation', 'bin-lww']) {
    assert.equal(isResolverName(name), true);
    assert.equal(resolverByName(name).name, name);
  }
  for (const name of ['custom', 'toString', '']) {
    assert.equal(isResolverName(name), false);
    assert.throws(() => resolverByName(name), (err) => isConflictError(err, 'CONFLICT_ERR_UNKNOWN_RESOLVER') && err.retriable === false);
  }
  assert.ok(Object.keys(CONFLICT_ERRORS).every((code) => code.startsWith('CONFLICT_ERR_')));
});

test('a merge whose counter state does not give its bin value keeps the local record', () => {
  const state = { base: 10, baseLut: 50, p: { '1': 3, '2': 4 }, n: { '2': 1 } };
  const merged = (bins: Version['bins']) => wrapCustomResolver(() => ({ action: 'merge', reason: 'merged', version: { ...incoming, bins, counters: { hits: state } } }), 'counters');
  // 10 + 3 + 4 - 1 = 16, as a number or as a bigint.
  assert.equal(merged({ hits: 16 }).resolve(local, incoming, ctx).action, 'merge');
  assert.equal(merged({ hits: 16n }).resolve(local, incoming, ctx).action, 'merge');
  for (const bins of [{ hits: 17 }, { hits: 16.5 }, { hits: '16' }, {}] as Array<Version['bins']>) {
    const d = merged(bins).resolve(local, incoming, ctx);
    assert.ok(d.action === 'keep-local' && isConflictError(d.error, 'CONFLICT_ERR_CUSTOM_INVALID_DECISION'), `accepted ${JSON.stringify(bins)}`);
    assert.match((d.error as Error).message, /counters\.hits/);
  }
});

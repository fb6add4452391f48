// Custom resolver modules loaded from files the way xdr/ loads them: import(path),
// then isResolverModule / resolverFromModule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { isConflictError, isResolverModule, resolverFromModule } from '../../../conflict/index.js';
import { tombstone, version } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (name: string): Promise<unknown> => import(pathToFileURL(path.join(here, 'fixtures', name)).href);
const ctx = { regionId: 1 };

test('the example module (higher score wins) loads and decides', async () => {
  const mod = await load('higher-score-resolver.mjs');
  assert.equal(isResolverModule(mod), true);
  const r = resolverFromModule(mod, 'higher-score');
  const low = version({ lut: 300, bins: { score: 1 } });
  const high = version({ lut: 100, region: 2, bins: { score: 9 } });
  assert.deepEqual(r.resolve(low, high, ctx), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(r.resolve(high, low, ctx), { action: 'keep-local', reason: 'older' });
  assert.deepEqual(r.resolve(high, high, ctx), { action: 'keep-local', reason: 'identical' });
  assert.deepEqual(r.resolve(null, low, ctx), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(r.resolve(tombstone(500), low, ctx), { action: 'take-incoming', reason: 'applied' });
});

test('a module that throws keeps the local record and reports a typed error', async () => {
  const r = resolverFromModule(await load('throwing-resolver.mjs'), 'broken');
  const d = r.resolve(version({}), version({ lut: 200 }), ctx);
  assert.equal(d.action, 'keep-local');
  assert.equal(d.reason, 'error');
  assert.ok(d.action === 'keep-local' && isConflictError(d.error, 'CONFLICT_ERR_CUSTOM_THREW'));
});

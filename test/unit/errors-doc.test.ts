// docs/errors.md is generated from the error tables (errors/*.ts); this keeps the
// checked-in page equal to what `npm run docs:errors` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodes, renderErrorsDoc } from '../../errors/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('docs/errors.md is the page generated from the error tables', async () => {
  const checkedIn = await readFile(path.join(root, 'docs/errors.md'), 'utf8');
  assert.ok(checkedIn === renderErrorsDoc(), 'docs/errors.md differs from the tables: run `npm run docs:errors` and commit the result');
});

test('docs/errors.md has one row per declared code', async () => {
  const checkedIn = await readFile(path.join(root, 'docs/errors.md'), 'utf8');
  const documented = [...checkedIn.matchAll(/^\|\s*([A-Z]+_ERR_[A-Z0-9_]+)\s*\|/gm)].map((m) => m[1]!);
  assert.deepEqual(documented.sort(), errorCodes().sort());
});

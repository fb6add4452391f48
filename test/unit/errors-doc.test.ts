// Keeps docs/errors.md and the error registries of every module in step: each code
// a module can raise is documented, and the page names no code that no longer exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const moduleDirs = ['replication-protocol', 'engine', 'conflict', 'shipper', 'receiver', 'aerospike-protocol', 'xdr'];
const codePattern = /^\s*['"]?([A-Z]+_ERR_[A-Z0-9_]+)['"]?\s*:/gm;

async function errorRegistryFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await errorRegistryFiles(full)));
    else if (/errors?\.ts$/.test(entry.name)) found.push(full);
  }
  return found;
}

async function registeredCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (const dir of moduleDirs) {
    for (const file of await errorRegistryFiles(path.join(root, dir))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(codePattern)) codes.set(match[1]!, path.relative(root, file));
    }
  }
  return codes;
}

test('every registered error code is documented in docs/errors.md', async () => {
  const docs = await readFile(path.join(root, 'docs/errors.md'), 'utf8');
  const codes = await registeredCodes();
  assert.ok(codes.size >= 10, `expected the engine registry at least, found ${codes.size} codes`);
  const missing = [...codes].filter(([code]) => !docs.includes(`| ${code} |`)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], `add a table row to docs/errors.md for: ${missing.join(', ')}`);
});

test('docs/errors.md documents no code that the registries lack', async () => {
  const docs = await readFile(path.join(root, 'docs/errors.md'), 'utf8');
  const codes = await registeredCodes();
  const documented = [...docs.matchAll(/^\|\s*([A-Z]+_ERR_[A-Z0-9_]+)\s*\|/gm)].map((m) => m[1]!);
  const stale = documented.filter((code) => !codes.has(code));
  assert.deepEqual(stale, [], `remove or fix stale rows in docs/errors.md: ${stale.join(', ')}`);
});

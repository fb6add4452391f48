#!/usr/bin/env node
// Runs the compiled CLI from dist/ (built by `npm run build`, and by npm's
// prepare script on install). It runs the TypeScript sources through tsx
// instead when there is no build, when a source file is newer than the build (a
// developer edited the code since `npm ci`: running the stale build would be
// confusing), or when XDRGATE_FROM_SOURCE is set.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'xdr', 'cli', 'main.js');
const SOURCE_DIRS = ['record', 'replication-protocol', 'engine', 'conflict', 'shipper', 'receiver', 'aerospike-protocol', 'xdr'];

function sourcesNewerThan(mtimeMs) {
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      if (statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > mtimeMs) return true;
    }
  }
  return false;
}

const useBuild = !process.env.XDRGATE_FROM_SOURCE && existsSync(compiled) && !sourcesNewerThan(statSync(compiled).mtimeMs);
let cli;
if (useBuild) {
  cli = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(path.join(root, 'xdr', 'cli', 'main.ts')).href);
}
await cli.main(process.argv);

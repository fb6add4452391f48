#!/usr/bin/env node
// Runs the compiled CLI from dist/ (built by `npm run build`, and by npm's
// prepare script on install); from a source checkout without a build it runs
// the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'xdr', 'cli', 'main.js');

let cli;
if (existsSync(compiled) && !process.env.XDRGATE_FROM_SOURCE) {
  cli = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(path.join(root, 'xdr', 'cli', 'main.ts')).href);
}
await cli.main(process.argv);

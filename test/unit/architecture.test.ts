// The folders are the architecture: this test keeps the dependency direction the
// design names (docs/architecture.md) from eroding. It reads import specifiers
// from source files; it does not run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from '../helpers/source-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const topFolders = ['errors', 'record', 'replication-protocol', 'engine', 'conflict', 'shipper', 'receiver', 'aerospike-protocol', 'xdr'] as const;
type Folder = (typeof topFolders)[number];

/**
 * Which of our folders each folder may import. errors/ (the one error table)
 * and record/ (the record model) are leaves: they import nothing of ours.
 * Every folder may use errors/; engine/ and conflict/ share record/ instead of
 * each keeping a copy. replication-protocol/ (wire format, route vocabulary,
 * resolver port) is what shipper/, receiver/ and xdr/ share; it knows the
 * record model only, and the engine and the resolvers know nothing of it.
 */
const allowed: Record<Folder, Folder[]> = {
  errors: [],
  record: ['errors'],
  'replication-protocol': ['errors', 'record'],
  engine: ['errors', 'record'],
  conflict: ['errors', 'record'],
  shipper: ['errors', 'record', 'replication-protocol', 'engine'],
  receiver: ['errors', 'record', 'replication-protocol', 'engine', 'conflict'],
  // The client-protocol codec is pure: no engine, no sockets.
  'aerospike-protocol': ['errors', 'record'],
  xdr: ['errors', 'record', 'replication-protocol', 'engine', 'conflict', 'shipper', 'receiver', 'aerospike-protocol'],
};
/** Clients that only the composition root (xdr/) may depend on; shipper/receiver take kafkajs objects passed in. */
const forbiddenPackages: Record<Folder, string[]> = {
  // Pure: errors/ and record/ import no package at all (checked below).
  errors: [],
  record: [],
  // Pure: bytes in, bytes out (msgpackr is its codec); no client, no socket, no file.
  'replication-protocol': ['kafkajs', 'ioredis', 'fastify', 'pino', 'node:net', 'net', 'node:fs', 'fs', 'node:fs/promises', 'node:worker_threads'],
  engine: ['kafkajs', 'ioredis', 'fastify'],
  conflict: ['kafkajs', 'ioredis', 'fastify', 'msgpackr'],
  shipper: ['ioredis', 'fastify'],
  receiver: ['ioredis', 'fastify'],
  'aerospike-protocol': ['kafkajs', 'ioredis', 'fastify', 'msgpackr', 'node:net', 'net'],
  xdr: [],
};

function importSpecifiers(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

test('each folder imports only what the design allows, through index.ts doors', async () => {
  const problems: string[] = [];
  for (const folder of topFolders) {
    for (const file of await sourceFiles(path.join(root, folder))) {
      const rel = path.relative(root, file);
      for (const spec of importSpecifiers(await readFile(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = path.relative(root, path.resolve(path.dirname(file), spec));
          const targetFolder = target.split(path.sep)[0] as Folder;
          if (targetFolder === folder || !topFolders.includes(targetFolder)) continue;
          if (!allowed[folder].includes(targetFolder)) problems.push(`${rel} imports ${spec}: ${folder}/ may not depend on ${targetFolder}/`);
          else if (target !== `${targetFolder}${path.sep}index.js`) problems.push(`${rel} imports ${spec}: go through ${targetFolder}/index.js`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (forbiddenPackages[folder].includes(pkg)) problems.push(`${rel} imports ${pkg}: only xdr/ may use it`);
          if (folder === 'record' || folder === 'errors') problems.push(`${rel} imports ${spec}: ${folder}/ is pure and imports no package`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

/** The product's source file that a relative specifier of `from` names (a `.js` specifier names its `.ts` source). */
function resolveSource(from: string, spec: string): string {
  const target = path.resolve(path.dirname(from), spec);
  return target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target;
}

/** One import cycle among `graph`'s files, as a path that returns to its start, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | null => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle !== null) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    if (state.get(file) !== undefined) continue;
    const cycle = visit(file);
    if (cycle !== null) return cycle;
  }
  return null;
}

// A file cycle means no file of it can be read, tested or moved alone; type-only
// imports count too, since they tie the files' meaning the same way.
test('no import cycle between files anywhere in the product', async () => {
  const graph = new Map<string, string[]>();
  for (const folder of topFolders) {
    for (const file of await sourceFiles(path.join(root, folder))) {
      // TypeScript's own scanner: imports, re-exports, type-only and dynamic imports, never an example in a comment.
      const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
      const targets = importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.')).map((s) => resolveSource(file, s));
      graph.set(file, targets);
    }
  }
  const cycle = findCycle(graph);
  assert.equal(cycle?.map((f) => path.relative(root, f)).join(' -> ') ?? null, null);
});

test('the cycle check finds a cycle and names its files', () => {
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['b']], ['b', []]])), null);
});

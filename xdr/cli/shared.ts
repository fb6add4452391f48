/** Helpers shared by the CLI commands. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, type ClientOptions } from './client.js';

/** The root option values (--url, --token), wherever the command sits in the tree. */
export function clientOptions(cmd: Command): ClientOptions {
  const o = cmd.optsWithGlobals<{ url: string; token?: string }>();
  return { url: o.url, ...(o.token ? { token: o.token } : {}) };
}

export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs a command body; prints failures as `code: message` and sets the exit code. */
export async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ApiError) process.stderr.write(`error ${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}\n`);
    else process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** The folder holding package.json, config/ and bin/ (works from sources and from dist/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'config'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the xdrgate package root (package.json next to config/)');
}

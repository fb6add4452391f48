/**
 * The routes this region is the source of, persisted in <data-dir>/routes.json.
 * The source region owns a route's definition (docs/config.md says why); the
 * file is replaced atomically (write, fsync, rename, fsync dir) so a crash
 * leaves the old or the new version, never half of one.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { RouteIntent } from '../route-health/index.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

export interface StoredRoute {
  spec: RouteSpec;
  /** What the operator asked (running, paused, disabled); the route's health is derived, never stored. */
  state: RouteIntent;
  updatedAtMs: number;
}

interface RoutesFile {
  version: 1;
  routes: StoredRoute[];
}

export class RouteStore {
  readonly file: string;

  /** `fileName` other than routes.json is used for the destination's cache of the catalog. */
  constructor(dataDir: string, fileName = 'routes.json') {
    this.file = path.join(dataDir, fileName);
  }

  /** The stored routes, or null when the file does not exist yet (first start). */
  async load(): Promise<StoredRoute[] | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const parsed = JSON.parse(text) as RoutesFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.routes)) throw new Error(`${this.file}: unknown format (version ${String(parsed.version)})`);
    return parsed.routes;
  }

  async save(routes: StoredRoute[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const body: RoutesFile = { version: 1, routes };
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(`${JSON.stringify(body, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

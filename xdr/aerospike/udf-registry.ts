/**
 * The UDF module registry: clients register Lua modules (`udf-put`), list them
 * (`udf-list`), read them back (`udf-get`) and remove them (`udf-remove`).
 * Modules are stored, never executed (the engine runs no Lua): calls that
 * would run one are answered UNSUPPORTED_FEATURE. Kept in <data-dir>/udf/ so
 * registrations survive restarts.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ServiceError, badRequest } from './errors.js';

/** Largest module accepted (Aerospike's default is 1 MiB of Lua). */
export const UDF_BYTES_MAX = 1024 * 1024;
/** Modules kept at most. */
export const UDF_MODULES_MAX = 256;
const NAME = /^[A-Za-z0-9_.-]{1,127}$/;

export interface UdfModule {
  filename: string;
  /** SHA-1 of the content, hex (what `udf-list` reports as hash). */
  hash: string;
  type: 'LUA';
  content: Buffer;
}

export class UdfRegistry {
  private readonly modules = new Map<string, UdfModule>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<UdfRegistry> {
    const registry = new UdfRegistry(dir);
    await mkdir(dir, { recursive: true });
    for (const entry of await readdir(dir)) {
      if (!NAME.test(entry) || entry.endsWith('.tmp')) continue;
      const content = await readFile(path.join(dir, entry));
      registry.modules.set(entry, moduleOf(entry, content));
    }
    return registry;
  }

  list(): UdfModule[] {
    return [...this.modules.values()];
  }

  get(filename: string): UdfModule | undefined {
    return this.modules.get(filename);
  }

  async put(filename: string, content: Buffer, type: string): Promise<void> {
    if (!NAME.test(filename)) throw badRequest(`UDF file name "${filename}" must be 1-127 letters, digits, '_', '-' or '.'`);
    if (type.toUpperCase() !== 'LUA') throw badRequest(`UDF type ${type} is not LUA`);
    if (content.length > UDF_BYTES_MAX) throw badRequest(`UDF module of ${content.length} bytes is larger than ${UDF_BYTES_MAX}`);
    if (!this.modules.has(filename) && this.modules.size >= UDF_MODULES_MAX) throw badRequest(`at most ${UDF_MODULES_MAX} UDF modules are kept; remove one first`);
    const file = path.join(this.dir, filename);
    // Written under a temporary name and renamed, so a crash never leaves half a module.
    await writeFile(`${file}.tmp`, content);
    await rename(`${file}.tmp`, file);
    this.modules.set(filename, moduleOf(filename, content));
  }

  async remove(filename: string): Promise<void> {
    if (!this.modules.has(filename)) throw new ServiceError('XDR_ERR_SERVICE_UDF_NOT_FOUND', `no UDF module named ${filename} is registered`);
    await rm(path.join(this.dir, filename), { force: true });
    this.modules.delete(filename);
  }
}

function moduleOf(filename: string, content: Buffer): UdfModule {
  return { filename, hash: createHash('sha1').update(content).digest('hex'), type: 'LUA', content };
}

/** The product's source files, for tests that read the tree (architecture rules, error codes). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` whose name matches `pattern`, recursively, outside node_modules; none when `dir` is absent. */
export async function sourceFiles(dir: string, pattern: RegExp = /\.ts$/): Promise<string[]> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return names.filter((name) => pattern.test(name) && !name.split(path.sep).includes('node_modules')).map((name) => path.join(dir, name));
}

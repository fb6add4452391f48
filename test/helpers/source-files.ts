/** The product's source files, for tests that read the tree (architecture rules, error codes). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` whose name matches `pattern`, recursively; none when `dir` is absent. */
export async function sourceFiles(dir: string, pattern: RegExp = /\.ts$/): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full, pattern)));
    else if (pattern.test(entry.name)) out.push(full);
  }
  return out;
}

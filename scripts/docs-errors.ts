// Writes docs/errors.md from the error tables (errors/*.ts): `npm run docs:errors`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderErrorsDoc } from '../errors/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs/errors.md');
await writeFile(target, renderErrorsDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);

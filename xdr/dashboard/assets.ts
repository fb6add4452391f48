/**
 * The dashboard's static files: ours (xdr/dashboard/static) and uPlot's dist
 * files from node_modules, read once at start (they are small) so serving them
 * costs no disk I/O. No build step: the browser loads plain JS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Our static folder, next to this module in the sources, or found from the package root when running from dist/. */
function staticDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'static'), path.resolve(here, '../../../xdr/dashboard/static')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (found === undefined) throw new Error(`dashboard static files not found (looked in ${candidates.join(', ')})`);
  return found;
}

function uplotDist(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('uplot'));
}

function load(file: string): Asset {
  return { body: readFileSync(file), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}

/** URL name under /dashboard/ → asset. */
export function loadAssets(): Map<string, Asset> {
  const ours = staticDir();
  const uplot = uplotDist();
  return new Map<string, Asset>([
    ['index.html', load(path.join(ours, 'index.html'))],
    ['series.js', load(path.join(ours, 'series.js'))],
    ['topology.js', load(path.join(ours, 'topology.js'))],
    ['app.js', load(path.join(ours, 'app.js'))],
    ['style.css', load(path.join(ours, 'style.css'))],
    ['uplot.min.js', load(path.join(uplot, 'uPlot.iife.min.js'))],
    ['uplot.min.css', load(path.join(uplot, 'uPlot.min.css'))],
  ]);
}

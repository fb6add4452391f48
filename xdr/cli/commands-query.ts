/**
 * `xdrgate query|scan|batch-get|operate|index`: aql's data jobs through a
 * gateway's HTTP API. Queries and scans print one record per line (NDJSON) as
 * they arrive, then a summary line on stderr.
 */
import type { Command } from 'commander';
import { GatewayClient, recordPath } from './client.js';
import { clientOptions, print, run } from './shared.js';

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: not valid JSON: ${text}`);
  }
}

/** A filter value as typed: an integer stays a number, anything else a string; JSON (e.g. {"$bytes":..}) when it parses as an object. */
function filterValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : { $int: text };
  }
  if (text.startsWith('{')) return parseJson('value', text);
  return text;
}

/** `--where` of aql's forms: `bin=value`, `bin between lo and hi` (also `bin=lo..hi`). */
export function parseWhere(where: string): Record<string, unknown> {
  const between = /^\s*([A-Za-z0-9_-]{1,15})\s+between\s+(\S+)\s+and\s+(\S+)\s*$/i.exec(where) ?? /^\s*([A-Za-z0-9_-]{1,15})\s*=\s*(-?\d+)\.\.(-?\d+)\s*$/.exec(where);
  if (between) return { bin: between[1], between: [filterValue(between[2]!), filterValue(between[3]!)] };
  const equals = /^\s*([A-Za-z0-9_-]{1,15})\s*=\s*(.+?)\s*$/.exec(where);
  if (equals) {
    const raw = equals[2]!;
    const quoted = /^'(.*)'$|^"(.*)"$/.exec(raw);
    return { bin: equals[1], equals: quoted ? (quoted[1] ?? quoted[2]) : filterValue(raw) };
  }
  throw new Error(`--where: "${where}" is not "bin=value" or "bin between lo and hi"`);
}

interface QueryOptions {
  where?: string;
  geoWithin?: string;
  geoContains?: string;
  bin?: string;
  bins?: string[];
  limit?: number;
}

/** The query's one filter, from --where or a geo option with its --bin. */
export function queryFilter(o: Pick<QueryOptions, 'where' | 'geoWithin' | 'geoContains' | 'bin'>): Record<string, unknown> {
  const given = [o.where, o.geoWithin, o.geoContains].filter((v) => v !== undefined).length;
  if (given !== 1) throw new Error('give exactly one of --where, --geo-within and --geo-contains');
  if (o.where !== undefined) return parseWhere(o.where);
  if (!o.bin) throw new Error('--geo-within and --geo-contains need --bin <name>: the GeoJSON bin the index covers');
  if (o.geoWithin !== undefined) return { bin: o.bin, geoWithin: parseJson('--geo-within', o.geoWithin) };
  return { bin: o.bin, geoContains: parseJson('--geo-contains', o.geoContains!) };
}

async function printStream(rows: AsyncGenerator<Record<string, unknown>>): Promise<void> {
  for await (const row of rows) {
    if (row.$done === true) process.stderr.write(`${String(row.records)} records\n`);
    else process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}

const binsList = (v: string): string[] => v.split(',').map((b) => b.trim()).filter(Boolean);

export function addQueryCommands(program: Command): void {
  program
    .command('query')
    .description('query a set by a secondary index, like aql\'s SELECT ... WHERE: one record per line (NDJSON)')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .option('--where <filter>', 'bin=value (integer, \'string\' or {"$bytes":".."}), bin between lo and hi, or bin=lo..hi')
    .option('--geo-within <geojson>', 'instead of --where: records whose GeoJSON point in --bin lies inside this region')
    .option('--geo-contains <geojson>', 'instead of --where: records whose GeoJSON region in --bin holds this point')
    .option('--bin <name>', 'the bin of a --geo-within / --geo-contains query')
    .option('--bins <names>', 'comma-separated bins to return', binsList)
    .option('--limit <n>', 'at most n records', (v) => Number.parseInt(v, 10))
    .action((ns: string, set: string, opts: QueryOptions, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        const body = { filter: queryFilter(opts), ...(opts.bins ? { bins: opts.bins } : {}), ...(opts.limit ? { limit: opts.limit } : {}) };
        await printStream(client.lines('POST', `/v1/query/${encodeURIComponent(ns)}/${encodeURIComponent(set)}`, body));
      }),
    );

  program
    .command('scan')
    .description('every record of a namespace or of one set, like aql\'s SELECT * FROM ns.set: one record per line (NDJSON)')
    .argument('<ns>', 'namespace')
    .argument('[set]', 'set (all sets when absent)')
    .option('--bins <names>', 'comma-separated bins to return')
    .option('--limit <n>', 'at most n records', (v) => Number.parseInt(v, 10))
    .action((ns: string, set: string | undefined, opts: { bins?: string; limit?: number }, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        const q = new URLSearchParams();
        if (set) q.set('set', set);
        if (opts.bins) q.set('bins', opts.bins);
        if (opts.limit) q.set('limit', String(opts.limit));
        const query = q.toString();
        await printStream(client.lines('GET', `/v1/scan/${encodeURIComponent(ns)}${query ? `?${query}` : ''}`));
      }),
    );

  program
    .command('batch-get')
    .description('read several records of one set at once (a batch read; absent ones print as null)')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .argument('<keys...>', 'user keys')
    .option('--bins <names>', 'comma-separated bins to return', binsList)
    .option('--key-type <type>', 'string | integer | bytes', 'string')
    .action((ns: string, set: string, keys: string[], opts: { bins?: string[]; keyType: string }, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        const body = { keys: keys.map((key) => ({ ns, set, key, keyType: opts.keyType })), ...(opts.bins ? { bins: opts.bins } : {}) };
        print((await client.request('POST', '/v1/batch/get', body)).body);
      }),
    );

  program
    .command('operate')
    .description('several operations on one record in one step, e.g. xdrgate operate user_data profiles u1 \'[{"op":"incr","bin":"views","value":1},{"op":"read","bin":"views"}]\' (docs/http-api.md lists the ops)')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .argument('<key>', 'user key')
    .argument('<ops>', 'JSON array of operations')
    .option('--key-type <type>', 'string | integer | bytes', 'string')
    .action((ns: string, set: string, key: string, ops: string, opts: { keyType: string }, cmd: Command) =>
      run(async () => {
        const parsed = parseJson('ops', ops);
        if (!Array.isArray(parsed)) throw new Error('ops: give a JSON array of operations, e.g. \'[{"op":"read","bin":"views"}]\'');
        const client = new GatewayClient(clientOptions(cmd));
        print((await client.request('POST', `${recordPath(ns, set, key, opts.keyType).replace(/\?.*$/, '')}/operate${opts.keyType !== 'string' ? `?keyType=${encodeURIComponent(opts.keyType)}` : ''}`, { ops: parsed })).body);
      }),
    );

  const index = program.command('index').description('secondary indexes of a namespace: list, create, drop (asinfo sindex-list / sindex-create / sindex-delete)');
  index
    .command('list')
    .description('the secondary indexes of a namespace')
    .argument('<ns>', 'namespace')
    .action((ns: string, _opts: unknown, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        print((await client.request('GET', `/v1/indexes/${encodeURIComponent(ns)}`)).body);
      }),
    );
  index
    .command('create')
    .description('create a secondary index, e.g. xdrgate index create user_data idx_views views integer --set profiles')
    .argument('<ns>', 'namespace')
    .argument('<name>', 'index name')
    .argument('<bin>', 'bin to index')
    .argument('<type>', 'integer | string | blob | geo2dsphere')
    .option('--set <set>', 'only records of this set')
    .action((ns: string, name: string, bin: string, type: string, opts: { set?: string }, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        print((await client.request('PUT', `/v1/indexes/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`, { bin, type, ...(opts.set ? { set: opts.set } : {}) })).body);
      }),
    );
  index
    .command('drop')
    .description('drop a secondary index')
    .argument('<ns>', 'namespace')
    .argument('<name>', 'index name')
    .action((ns: string, name: string, _opts: unknown, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        await client.request('DELETE', `/v1/indexes/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`);
        print({ dropped: name });
      }),
    );
}

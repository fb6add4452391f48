/** `xdrgate route add|list|pause|resume|rewind|rm`: live routes through the source region's gateway. */
import { Command } from 'commander';
import type { RouteStatus } from '../routes/index.js';
import { GatewayClient } from './client.js';
import { renderRouteList } from './route-format.js';
import { clientOptions, print, run } from './shared.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const int = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${v}`);
  return n;
};

interface AddOptions {
  source: string;
  destination: string;
  namespace: string;
  resolver?: string;
  customResolverPath?: string;
  shipSets?: string[];
  ignoreSets?: string[];
  shipBins?: string[];
  ignoreBins?: string[];
  forward?: boolean;
  maxRecordsPerSec?: number;
  delayMs?: number;
  hotKeyMs?: number;
  disabled?: boolean;
  topic?: string;
  compression?: string;
}

function routeBody(o: AddOptions): Record<string, unknown> {
  const filter = (ship?: string[], ignore?: string[]) => (ship || ignore ? { ...(ship ? { ship } : {}), ...(ignore ? { ignore } : {}) } : undefined);
  const sets = filter(o.shipSets, o.ignoreSets);
  const bins = filter(o.shipBins, o.ignoreBins);
  return {
    source: o.source,
    destination: o.destination,
    namespace: o.namespace,
    ...(o.resolver ? { resolver: o.resolver } : {}),
    ...(o.customResolverPath ? { customResolverPath: o.customResolverPath } : {}),
    ...(sets ? { sets } : {}),
    ...(bins ? { bins } : {}),
    ...(o.forward ? { forward: true } : {}),
    ...(o.maxRecordsPerSec !== undefined ? { maxRecordsPerSec: o.maxRecordsPerSec } : {}),
    ...(o.delayMs !== undefined ? { delayMs: o.delayMs } : {}),
    ...(o.hotKeyMs !== undefined ? { hotKeyMs: o.hotKeyMs } : {}),
    ...(o.disabled ? { enabled: false } : {}),
    ...(o.topic ? { topic: o.topic } : {}),
    ...(o.compression ? { compression: o.compression } : {}),
  };
}

export function routeCommand(): Command {
  const route = new Command('route').description('manage replication routes live (send to the SOURCE region\'s gateway with --url)');

  route
    .command('add')
    .description('create or replace a route (no restart of either region)')
    .argument('<name>', 'route name: lower-case letters, digits, - and _')
    .requiredOption('--source <region>', 'region whose changes ship (must be the gateway at --url)')
    .requiredOption('--destination <region>', 'region that applies them')
    .requiredOption('--namespace <ns>', 'namespace to replicate')
    .option('--resolver <name>', 'lww | generation | bin-lww | custom (default lww)')
    .option('--custom-resolver-path <path>', 'module exporting the resolver, with --resolver custom')
    .option('--ship-sets <sets>', 'only these sets (comma-separated)', list)
    .option('--ignore-sets <sets>', 'all sets but these', list)
    .option('--ship-bins <bins>', 'only these bins', list)
    .option('--ignore-bins <bins>', 'all bins but these', list)
    .option('--forward', 'also ship records that arrived from other regions')
    .option('--max-records-per-sec <n>', 'rate limit; 0 = none', int)
    .option('--delay-ms <ms>', 'ship a change only once it is this old', int)
    .option('--hot-key-ms <ms>', 'coalesce repeated changes of one record within this window', int)
    .option('--disabled', 'create it disabled')
    .option('--topic <topic>', 'Kafka topic (default xdr.<source>.<destination>.<namespace>)')
    .option('--compression <codec>', 'none | gzip | lz4 | zstd: record-batch compression across the WAN (default none)')
    .action((name: string, o: AddOptions, cmd: Command) =>
      run(async () => {
        const res = await new GatewayClient(clientOptions(cmd)).request<{ warnings?: Array<{ code: string; message: string }> }>('PUT', `/v1/xdr/routes/${encodeURIComponent(name)}`, routeBody(o));
        print(res.body);
        // Saved, but its destination said it cannot apply it: say so where nobody misses it.
        for (const w of res.body.warnings ?? []) process.stderr.write(`warning ${w.code}: ${w.message}\n`);
      }),
    );

  route
    .command('list')
    .description('list the routes this region ships or receives, with their state and what their destination says')
    .option('--json', 'print the routes as JSON')
    .action((o: { json?: boolean }, cmd: Command) =>
      run(async () => {
        const res = await new GatewayClient(clientOptions(cmd)).request<{ routes: RouteStatus[] }>('GET', '/v1/xdr/routes');
        if (o.json) print(res.body);
        else process.stdout.write(`${renderRouteList(res.body.routes)}\n`);
      }),
    );

  for (const action of ['pause', 'resume'] as const) {
    route
      .command(action)
      .description(action === 'pause' ? 'stop shipping (the cursor stays; nothing is lost)' : 'start shipping again from where it paused')
      .argument('<name>', 'route name')
      .action((name: string, _o: unknown, cmd: Command) =>
        run(async () => print((await new GatewayClient(clientOptions(cmd)).request('POST', `/v1/xdr/routes/${encodeURIComponent(name)}/${action}`)).body)),
      );
  }

  route
    .command('rewind')
    .description('re-ship every record changed since a time (default: everything)')
    .argument('<name>', 'route name')
    .option('--since <time>', 'ISO-8601 time or unix milliseconds')
    .option('--ago <duration>', 'e.g. 10m, 2h, 1d')
    .option('--include-origin', 'also re-ship the records that originated at the destination, which shipping never sends back (to restore a region that lost its data)')
    .action((name: string, o: { since?: string; ago?: string; includeOrigin?: boolean }, cmd: Command) =>
      run(async () => {
        const body = {
          ...(o.since ? { since: /^\d+$/.test(o.since) ? Number(o.since) : o.since } : {}),
          ...(o.ago ? { ago: o.ago } : {}),
          ...(o.includeOrigin ? { includeOrigin: true } : {}),
        };
        print((await new GatewayClient(clientOptions(cmd)).request('POST', `/v1/xdr/routes/${encodeURIComponent(name)}/rewind`, body)).body);
      }),
    );

  route
    .command('rm')
    .description('remove a route (its destination stops receiving it without a restart)')
    .argument('<name>', 'route name')
    .action((name: string, _o: unknown, cmd: Command) =>
      run(async () => {
        await new GatewayClient(clientOptions(cmd)).request('DELETE', `/v1/xdr/routes/${encodeURIComponent(name)}`);
        print({ removed: name });
      }),
    );
  return route;
}

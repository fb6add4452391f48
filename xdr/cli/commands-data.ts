/** `xdrgate put|get|rm`: records through a gateway's HTTP API. */
import type { Command } from 'commander';
import { GatewayClient, recordPath } from './client.js';
import { clientOptions, print, run } from './shared.js';

export function addDataCommands(program: Command): void {
  program
    .command('put')
    .description('write a record: bins as JSON, e.g. xdrgate put user_data profiles u1 \'{"name":"Ada","views":1}\'')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .argument('<key>', 'user key')
    .argument('<bins>', 'JSON object of bins (bytes as {"$bytes":"<base64>"})')
    .option('--ttl <seconds>', 'time to live; 0 = namespace default, -1 = never', (v) => Number.parseInt(v, 10))
    .option('--exists <policy>', 'upsert | create | update | replace | create-or-replace')
    .option('--key-type <type>', 'string | integer | bytes', 'string')
    .action((ns: string, set: string, key: string, bins: string, opts: { ttl?: number; exists?: string; keyType: string }, cmd: Command) =>
      run(async () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(bins);
        } catch {
          throw new Error(`bins: not valid JSON: ${bins}`);
        }
        const client = new GatewayClient(clientOptions(cmd));
        const body = { bins: parsed, ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}), ...(opts.exists ? { exists: opts.exists } : {}) };
        print((await client.request('PUT', recordPath(ns, set, key, opts.keyType), body)).body);
      }),
    );

  program
    .command('get')
    .description('read a record')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .argument('<key>', 'user key')
    .option('--bins <names>', 'comma-separated bins to return')
    .option('--key-type <type>', 'string | integer | bytes', 'string')
    .action((ns: string, set: string, key: string, opts: { bins?: string; keyType: string }, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        let path = recordPath(ns, set, key, opts.keyType);
        if (opts.bins) path += `${path.includes('?') ? '&' : '?'}bins=${encodeURIComponent(opts.bins)}`;
        print((await client.request('GET', path)).body);
      }),
    );

  program
    .command('rm')
    .description('delete a record (durable: the delete replicates)')
    .argument('<ns>', 'namespace')
    .argument('<set>', 'set')
    .argument('<key>', 'user key')
    .option('--key-type <type>', 'string | integer | bytes', 'string')
    .action((ns: string, set: string, key: string, opts: { keyType: string }, cmd: Command) =>
      run(async () => {
        const client = new GatewayClient(clientOptions(cmd));
        await client.request('DELETE', recordPath(ns, set, key, opts.keyType));
        print({ deleted: true });
      }),
    );
}

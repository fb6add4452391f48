/** `xdrgate stats|latencies|alerts`: the seed's health figures and the alerts of a region, as asadm shows them. */
import type { Command } from 'commander';
import type { AlertsSnapshot } from '../alerts/index.js';
import { GatewayClient } from './client.js';
import { renderAlerts, renderLatencies, renderStats, type StatsBody } from './health-format.js';
import { clientOptions, print, run } from './shared.js';

const URL_HELP = '\nThe region is picked with --url (default $XDRGATE_URL or http://127.0.0.1:4100), e.g. xdrgate stats --url http://127.0.0.1:4200';

export function addHealthCommands(program: Command): void {
  program
    .command('stats')
    .description("a region's namespaces at a glance: reads, writes (refusals apart), device rates, memory and storage use, stop-writes; then its routes")
    .option('--ns <namespace>', 'only this namespace')
    .option('--json', 'print the whole of GET /v1/stats (engine, replication, HTTP, service port)')
    .addHelpText('after', URL_HELP)
    .action((opts: { ns?: string; json?: boolean }, cmd: Command) =>
      run(async () => {
        const body = (await new GatewayClient(clientOptions(cmd)).request<StatsBody>('GET', '/v1/stats')).body;
        if (opts.json) print(opts.ns === undefined ? body : { ...body, health: (body.health ?? []).filter((h) => h.ns === opts.ns) });
        else process.stdout.write(`${renderStats(body, opts.ns)}\n`);
      }),
    );

  program
    .command('latencies')
    .description("engine latency percentiles (P50, P90, P99) of reads, writes, batches and queries over the last 10-20 s, like asadm's show latencies")
    .option('--ns <namespace>', 'only this namespace')
    .option('--json', 'print the figures as JSON')
    .addHelpText('after', URL_HELP)
    .action((opts: { ns?: string; json?: boolean }, cmd: Command) =>
      run(async () => {
        const body = (await new GatewayClient(clientOptions(cmd)).request<StatsBody>('GET', '/v1/stats')).body;
        if (opts.json) print((body.health ?? []).filter((h) => opts.ns === undefined || h.ns === opts.ns).map((h) => ({ ns: h.ns, latency: h.latency })));
        else process.stdout.write(`${renderLatencies(body, opts.ns)}\n`);
      }),
    );

  program
    .command('alerts')
    .description('alerts firing in a region now (lag, backlog growth, missing heartbeats, dead letters, P99, memory, storage, stop-writes, clock offset), then every rule with its threshold')
    .option('--json', 'print GET /v1/xdr/alerts as it is')
    .addHelpText('after', URL_HELP)
    .action((opts: { json?: boolean }, cmd: Command) =>
      run(async () => {
        const body = (await new GatewayClient(clientOptions(cmd)).request<AlertsSnapshot & { region: string }>('GET', '/v1/xdr/alerts')).body;
        if (opts.json) print(body);
        else process.stdout.write(`${renderAlerts(body, Date.now())}\n`);
      }),
    );
}

/** `xdrgate lag`: a live terminal view of every region's replication figures. */
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayClient } from './client.js';
import { renderLag, type LagSnapshot } from './lag-format.js';
import { clientOptions, print, run } from './shared.js';

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export function addLagCommand(program: Command): void {
  program
    .command('lag')
    .description('live replication lag, backlog, throughput and conflicts of every route in every region (Ctrl-C to quit)')
    .option('--once', 'print one snapshot and exit')
    .option('--json', 'print the snapshot as JSON (with --once: one object; otherwise one line per refresh)')
    .option('--interval <ms>', 'refresh period', '1000')
    .action(async (o: { once?: boolean; json?: boolean; interval: string }, cmd: Command) => {
      await run(async () => {
        const intervalMs = Number(o.interval);
        if (!Number.isSafeInteger(intervalMs) || intervalMs < 100 || intervalMs > 3_600_000) throw new Error(`--interval: must be an integer between 100 and 3600000 ms, got ${o.interval}`);
        const client = new GatewayClient({ ...clientOptions(cmd), timeoutMs: Math.max(2000, intervalMs) });
        const take = async () => (await client.request<LagSnapshot>('GET', '/dashboard/api/now')).body;
        if (o.once) {
          const snap = await take();
          if (o.json) print(snap);
          else process.stdout.write(`${renderLag(snap)}\n`);
          return;
        }
        let stop = false;
        process.once('SIGINT', () => (stop = true));
        const tty = process.stdout.isTTY === true;
        while (!stop) {
          const snap = await take();
          if (o.json) process.stdout.write(`${JSON.stringify(snap)}\n`);
          else process.stdout.write(`${tty ? CLEAR_SCREEN : '\n'}${renderLag(snap)}\n`);
          await sleep(intervalMs);
        }
      });
    });
}

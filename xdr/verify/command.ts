/**
 * `xdrgate verify --from tokyo --to virginia [--ns user_data]`: exit 0 when the
 * two regions hold identical data, 1 when they differ (each difference is
 * printed), 2 when verify itself could not run (a region unreachable, unknown).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ApiError, GatewayClient } from '../cli/client.js';
import { packageRoot } from '../cli/shared.js';
import { VerifyError, isVerifyError } from './errors.js';
import { httpSide, repairRegions, type NamespaceRepair } from '../anti-entropy/index.js';
import { verifyRegions, type RegionEndpoint } from './verify.js';
import { resolveRegionUrl } from './region-url.js';
import { formatReport } from './report-format.js';

function endpoint(name: string, url: string, token: string | undefined): RegionEndpoint & { client: GatewayClient } {
  // Hashing a large partition range takes a while on a loaded gateway: a generous timeout.
  const client = new GatewayClient({ url, ...(token ? { token } : {}), timeoutMs: 120_000 });
  return { name, client, get: async <T>(p: string) => (await client.request<T>('GET', p)).body };
}

/** A one-line bar on a TTY, redrawn in place; nothing when stderr is not a terminal (logs, CI). */
function progressBar(stream: NodeJS.WriteStream, enabled: boolean) {
  let lastDrawMs = 0;
  return {
    update(done: number, total: number, label = '') {
      if (!enabled) return;
      const now = Date.now();
      if (done < total && now - lastDrawMs < 100) return;
      lastDrawMs = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r${label}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} partitions`);
      if (done === total) stream.write('\n');
    },
  };
}

/** One line per repaired namespace: what each side re-shipped, and what it could not. */
export function formatRepair(repairs: readonly NamespaceRepair[], names: { from: string; to: string }): string {
  const lines = repairs.map((r) => {
    const parts = [`repair ${r.ns}: re-shipped ${r.reshippedAtoB} ${names.from}→${names.to} and ${r.reshippedBtoA} ${names.to}→${names.from} (${r.partitionsDiffering} partition(s) differed)`];
    if (r.unshippable > 0) parts.push(`${r.unshippable} record(s) have no route to the other region (${r.fromRoute ? '' : `no ${names.from}→${names.to} route`}${!r.fromRoute && !r.toRoute ? ', ' : ''}${r.toRoute ? '' : `no ${names.to}→${names.from} route`})`);
    return parts.join('; ');
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

interface VerifyFlags {
  from: string;
  to: string;
  ns?: string[];
  liveOnly?: boolean;
  rechecks: number;
  recheckDelayMs: number;
  json?: boolean;
  progress?: boolean;
  configDir?: string;
  repair?: boolean;
}

export function addVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('compare two regions partition by partition, then record by record; exit 0 only when identical (1: records differ, 2: could not verify, 3: no record differs but replication was still in flight)')
    .requiredOption('--from <region>', 'region name (URL from XDRGATE_URL_<REGION> or config/<region>.yaml) or a gateway URL')
    .requiredOption('--to <region>', 'the other region, same forms')
    .option('--ns <namespace...>', 'namespaces to compare (default: every namespace both have)')
    .option('--live-only', 'ignore tombstones (e.g. right after nsup collected them in one region)')
    .option('--rechecks <n>', 're-check differing partitions n times before reporting (replication in flight)', (v) => Number.parseInt(v, 10), 3)
    .option('--recheck-delay-ms <ms>', 'wait between re-checks', (v) => Number.parseInt(v, 10), 1000)
    .option('--config-dir <dir>', 'where <region>.yaml files live (default: the package config/)')
    .option('--json', 'print the report as JSON')
    .option('--progress', 'draw the progress bar even when stderr is not a terminal')
    .option('--repair', 'when they differ, have each region re-ship its version of what differs, then re-check (at least 10 times) until identical')
    // Usage errors exit 2 like any other failure to verify; 1 means "the regions differ" and nothing else.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (flags: VerifyFlags, cmd: Command) => {
      const { token } = cmd.optsWithGlobals<{ token?: string }>();
      try {
        const configDir = flags.configDir ?? path.join(packageRoot(), 'config');
        const from = resolveRegionUrl(flags.from, configDir);
        const to = resolveRegionUrl(flags.to, configDir);
        const bar = progressBar(process.stderr, flags.progress === true || process.stderr.isTTY === true);
        const fromEp = endpoint(from.name, from.url, token);
        const toEp = endpoint(to.name, to.url, token);
        const verify = (rechecks: number) =>
          verifyRegions({
            from: fromEp,
            to: toEp,
            ...(flags.ns ? { namespaces: flags.ns } : {}),
            liveOnly: flags.liveOnly === true,
            rechecks,
            recheckDelayMs: flags.recheckDelayMs,
            onProgress: (done, total) => bar.update(done, total),
          });
        let report = await verify(flags.rechecks);
        let repairs: NamespaceRepair[] | undefined;
        if (flags.repair && !report.identical) {
          if (!flags.json) process.stdout.write(formatReport(report));
          repairs = await repairRegions({
            from: { side: httpSide(from.name, fromEp.client), get: fromEp.get },
            to: { side: httpSide(to.name, toEp.client), get: toEp.get },
            namespaces: report.namespaces.filter((n) => n.differingPartitions.length > 0).map((n) => n.ns),
            onProgress: (ns, done, total) => bar.update(done, total, `repair ${ns} `),
          });
          if (!flags.json) process.stdout.write(formatRepair(repairs, { from: report.from, to: report.to }));
          // Re-shipped records travel through Kafka: differing partitions are re-checked until they were applied.
          report = await verify(Math.max(flags.rechecks, 10));
        }
        process.stdout.write(flags.json ? `${JSON.stringify(repairs ? { ...report, repair: repairs } : report, null, 2)}\n` : formatReport(report));
        process.exitCode = report.verdict === 'identical' ? 0 : report.verdict === 'in-flight' ? 3 : 1;
      } catch (err) {
        const code = err instanceof ApiError || isVerifyError(err) ? err.code : (err as { code?: string }).code;
        process.stderr.write(`error${code ? ` ${code}` : ''}: ${(err as Error).message}\n`);
        process.exitCode = 2;
      }
    });
}

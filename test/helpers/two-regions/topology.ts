/**
 * Two real regions: a Kafka broker per region (region-kafka.ts), one Redis,
 * and a real gateway process per region (`xdrgate serve`) with a config file
 * derived from the shipped ones (region-config.ts), driven only through HTTP
 * (and the Aerospike service port when asked for).
 *
 * Both regions' files sit in one folder (`dir`): `<name>.yaml` and the
 * region's folder `<name>/` (engine data in `<name>/data`), so a relative path
 * in either config file (a custom resolver module) starts at `dir`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';
import { freePort } from '../../../xdr/infra/index.js';
import { GatewayClient } from '../../../xdr/cli/index.js';
import { verifyRegions, formatReport, type RegionEndpoint, type VerifyReport } from '../../../xdr/verify/index.js';
import { defer, type CleanupScope } from '../cleanup.js';
import { childEnv } from '../gateway-env.js';
import { deleteKeysWithPrefix, redisUrl as suiteRedisUrl, randomKeyPrefix } from '../redis.js';
import { spawnTs, type SpawnedTs } from '../spawn.js';
import { sharedRegionKafka, type RegionKafka } from './region-kafka.js';
import { NS, SESSIONS, SHIPPED_CONFIGS, readShippedConfigs, regionConfig, root, routeName, type RegionKey, type RegionPlace, type TopologyOptions } from './region-config.js';

export interface RegionSetup {
  name: string;
  id: number;
  port: number;
  /** The Aerospike service port (a free one: the shipped configs serve one on a fixed port). */
  servicePort?: number;
  dataDir: string;
  configFile: string;
  url: string;
}

export interface Gateway {
  region: RegionSetup;
  proc: SpawnedTs;
  client: GatewayClient;
}

export type CreateOptions = TopologyOptions;

export class Topology {
  readonly gateways = new Map<string, Gateway>();
  private constructor(
    private readonly t: CleanupScope,
    /** The folder of both config files and both regions' folders. */
    readonly dir: string,
    readonly a: RegionSetup,
    readonly b: RegionSetup,
    readonly token: string | undefined,
    readonly redisUrl: string,
    /** The Redis key prefix both gateways use. */
    readonly prefix: string,
  ) {}

  /**
   * Writes both regions' config files, derived from the shipped ones (both
   * namespaces, their durability, routes both ways, resolvers), in fresh data
   * dirs. Gateways are started separately. Kafka: the suite's shared brokers
   * unless the test passes its own.
   */
  static async create(t: CleanupScope, kafka?: Record<RegionKey, RegionKafka>, o: CreateOptions = {}): Promise<Topology> {
    const brokers = kafka ?? { a: await sharedRegionKafka('tokyo'), b: await sharedRegionKafka('virginia') };
    const tag = randomBytes(3).toString('hex');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-two-regions-'));
    defer(t, () => rm(dir, { recursive: true, force: true }));
    const redis = o.redisUrl ?? (await suiteRedisUrl());
    const prefix = randomKeyPrefix('xdrgate-two-regions');
    // Registered before any gateway starts, so it runs after they stopped (cleanups run last-in first-out).
    defer(t, () => deleteKeysWithPrefix(redis, prefix));
    const shipped = await readShippedConfigs();
    const places = {} as Record<RegionKey, RegionPlace>;
    const regions = {} as Record<RegionKey, RegionSetup>;
    for (const [key, id, prefixOfName] of [['a', 1, 'tk'], ['b', 2, 'va']] as const) {
      const name = `${prefixOfName}${tag}`;
      const dataDir = path.join(dir, name);
      await mkdir(dataDir);
      const port = await freePort();
      // The shipped configs serve Aerospike clients on fixed ports (3000, 3100): every
      // derived region gets a free one instead, so topologies never collide.
      const servicePort = await freePort();
      places[key] = { name, port, ...(servicePort !== undefined ? { servicePort } : {}), dataDir, kafka: { own: brokers[key].bootstrap, remote: brokers[key].remote } };
      regions[key] = { name, id, port, ...(servicePort !== undefined ? { servicePort } : {}), dataDir, configFile: path.join(dir, `${name}.yaml`), url: `http://127.0.0.1:${port}` };
    }
    for (const key of ['a', 'b'] as const) {
      const doc = regionConfig(shipped, key, places, redis, prefix, o);
      await writeFile(regions[key].configFile, `# two-region test topology, region ${regions[key].name}, from ${SHIPPED_CONFIGS[key]}\n${YAML.stringify(doc)}`);
    }
    return new Topology(t, dir, regions.a, regions.b, o.extra?.['auth-token'] as string | undefined, redis, prefix);
  }

  /** The name of the route from `from` to `to` for namespace `ns`, as the shipped configs name routes. */
  route(from: RegionSetup, to: RegionSetup, ns = NS): string {
    return routeName(from.name, to.name, ns);
  }

  /** Starts (or restarts) a region's gateway process and waits until /readyz answers 200. */
  async start(region: RegionSetup, readyTimeoutMs = 90_000): Promise<Gateway> {
    const proc = spawnTs(this.t, path.join(root, 'bin', 'xdrgate.js'), {
      args: ['serve', '--config', region.configFile],
      env: childEnv(),
      stopGraceMs: 20_000,
    });
    const client = new GatewayClient({ url: region.url, ...(this.token ? { token: this.token } : {}), timeoutMs: 30_000 });
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      // An exit ends the wait at once (a config error, a corrupted device), with the gateway's output.
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(`gateway ${region.name} exited ${proc.child.exitCode ?? proc.child.signalCode} before ready:\nstdout:\n${proc.stdout().slice(-3000)}\nstderr:\n${proc.stderr().slice(-3000)}`);
      }
      const ready = await fetch(`${region.url}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`gateway ${region.name} not ready after ${readyTimeoutMs} ms:\nstdout:\n${proc.stdout().slice(-3000)}\nstderr:\n${proc.stderr().slice(-3000)}`);
      await sleep(200);
    }
    const gw = { region, proc, client };
    this.gateways.set(region.name, gw);
    return gw;
  }

  /** Both gateways, started side by side. */
  startBoth(): Promise<[Gateway, Gateway]> {
    return Promise.all([this.start(this.a), this.start(this.b)]);
  }

  /** Stops a region's gateway (SIGTERM, SIGKILL after the grace) if it runs. */
  async stop(region: RegionSetup): Promise<void> {
    await this.gateways.get(region.name)?.proc.stop();
  }

  gateway(region: RegionSetup): Gateway {
    const gw = this.gateways.get(region.name);
    if (gw === undefined) throw new Error(`gateway ${region.name} was not started`);
    return gw;
  }

  endpoint(region: RegionSetup): RegionEndpoint {
    const client = new GatewayClient({ url: region.url, ...(this.token ? { token: this.token } : {}), timeoutMs: 60_000 });
    return { name: region.name, get: async <T>(p: string) => (await client.request<T>('GET', p)).body };
  }

  /** One verify run of the two regions (tombstones included). */
  verify(): Promise<VerifyReport> {
    return verifyRegions({ from: this.endpoint(this.a), to: this.endpoint(this.b), namespaces: [NS, SESSIONS] });
  }

  /** Polls verify until identical; on timeout fails with the last report. */
  async converge(timeoutMs = 120_000): Promise<VerifyReport> {
    const deadline = Date.now() + timeoutMs;
    let last: VerifyReport | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        last = await this.verify();
        if (last.identical) return last;
      } catch (err) {
        lastError = err;
      }
      await sleep(1000);
    }
    throw new Error(`regions did not converge within ${timeoutMs} ms:\n${last ? formatReport(last) : `verify failed: ${String(lastError)}`}`);
  }
}

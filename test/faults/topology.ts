/**
 * Two real regions for the fault suite: a Kafka broker per region, the shared
 * Redis, and a real gateway process per region (`xdrgate serve`), driven only
 * through HTTP. For the partition test each broker has a second listener that
 * the OTHER region's gateway reaches through a TCP proxy the test can cut (a
 * WAN partition); the broker advertises that listener at the proxy's address,
 * so the metadata the remote clients get back keeps them going through the
 * proxy.
 *
 * Tests use the suite's shared brokers unless they stop a broker or cut a
 * link (then the file owns them; tests in a file run one after another).
 * Region names are random per topology, so topics and consumer groups of one
 * test never meet another's on the same brokers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import YAML from 'yaml';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaBroker, freePort } from '../../xdr/infra/index.js';
import { GatewayClient } from '../../xdr/cli/index.js';
import { verifyRegions, formatReport, type RegionEndpoint, type VerifyReport } from '../../xdr/verify/index.js';
import { defer, type CleanupScope } from '../helpers/cleanup.js';
import { infraLogger, kafkaBrokers } from '../helpers/kafka.js';
import { redisUrl, randomKeyPrefix } from '../helpers/redis.js';
import { spawnTs, type SpawnedTs } from '../helpers/spawn.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NS = 'user_data';
/** The shipped configs' memory namespace (durability shipped). */
export const SESSIONS = 'sessions';

/**
 * A region's Kafka as the gateways see it: `bootstrap` is what the region's
 * own gateway uses, `remote` what the other region's gateway uses (the proxy's
 * address when there is one). `broker` is set when this file owns the broker
 * (it may stop it); `proxy` when the link from the other region can be cut.
 */
export interface RegionKafka {
  bootstrap: string;
  remote: string;
  broker?: KafkaBroker;
  proxy?: TcpProxy;
}

/** The suite's shared broker of a region (random region names keep tests apart on it). */
export async function sharedRegionKafka(region: 'tokyo' | 'virginia'): Promise<RegionKafka> {
  const bootstrap = (await kafkaBrokers(region)).join(',');
  return { bootstrap, remote: bootstrap };
}

/** A broker of this file's own, for a test that stops it. */
export async function dedicatedRegionKafka(t: CleanupScope, name: string): Promise<RegionKafka> {
  const broker = await KafkaBroker.start({ name, logger: infraLogger() });
  defer(t, () => broker.close());
  return { bootstrap: broker.bootstrap, remote: broker.bootstrap, broker };
}

/**
 * A broker whose REMOTE listener is advertised at a proxy's address, for a
 * test that cuts the link. The proxy port is taken first so the advertised
 * address is known before start.
 */
export async function proxiedRegionKafka(t: CleanupScope, name: string): Promise<RegionKafka> {
  const [port, controllerPort, remotePort] = [await freePort(), await freePort(), await freePort()];
  const proxy = await startTcpProxy(t, { host: '127.0.0.1', port: remotePort });
  const broker = await KafkaBroker.start({
    name,
    port,
    controllerPort,
    logger: infraLogger(),
    serverProperties: {
      listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort},REMOTE://127.0.0.1:${remotePort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},REMOTE://${proxy.address}`,
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,REMOTE:PLAINTEXT',
    },
  });
  defer(t, () => broker.close());
  return { bootstrap: broker.bootstrap, remote: proxy.address, broker, proxy };
}

/**
 * The environment of a gateway or CLI child: the runner exports XDRGATE_* for
 * its own shared brokers and Redis, and a gateway reads XDRGATE_* as config
 * overrides, so every inherited one is dropped (undefined values are not passed).
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of Object.keys(process.env)) if (name.startsWith('XDRGATE_') && name !== 'XDRGATE_TEST_LOG_LEVEL') env[name] = undefined;
  return { ...env, XDRGATE_FROM_SOURCE: '1', ...extra };
}

export interface RegionSetup {
  name: string;
  id: number;
  port: number;
  /** Its Aerospike client-protocol port (the shipped configs serve one). */
  servicePort: number;
  dataDir: string;
  configFile: string;
  url: string;
}

export interface TopologyOptions {
  /** Resolver of every route. @default as shipped (lww) */
  resolver?: 'lww' | 'bin-lww' | 'generation';
  /** Durability of NS (user_data). @default as shipped (commit-to-device) */
  durability?: 'commit-to-device' | 'buffered' | 'shipped';
  /** Size of each of NS's device files. @default as shipped (256M) */
  filesize?: string;
  /** @default as shipped (90) */
  stopWritesPct?: number;
  /** flush-max-ms of NS. @default as shipped (100) */
  flushMaxMs?: number;
  /** Extra top-level settings (e.g. `{ 'auth-token': 't' }`). */
  extra?: Record<string, unknown>;
  /** Log level of the gateway processes. @default $XDRGATE_TEST_LOG_LEVEL or 'warn' */
  logLevel?: string;
  /**
   * The `anti-entropy` block. @default `{ enabled: false }`: a fault test of
   * replication itself must not pass because anti-entropy repaired what
   * replication lost; `'as-shipped'` keeps the shipped configs' block.
   */
  antiEntropy?: Record<string, unknown> | 'as-shipped';
}

export interface Gateway {
  region: RegionSetup;
  proc: SpawnedTs;
  client: GatewayClient;
}

/** The shipped region config files, which every fault topology starts from. */
export const SHIPPED_CONFIGS = { a: 'config/tokyo.yaml', b: 'config/virginia.yaml' } as const;

/**
 * A region's config: the shipped file with its region names replaced by this
 * topology's (random, so topics and consumer groups of one test never meet
 * another's on shared brokers), its addresses pointed at this test's brokers,
 * Redis, ports and folders, and only what `o` asks for changed besides.
 */
function regionConfig(doc: Record<string, any>, names: Record<'a' | 'b', string>, shippedNames: Record<'a' | 'b', string>, me: RegionSetup, urls: Record<'a' | 'b', string>, brokers: Record<'a' | 'b', string>, redis: string, prefix: string, o: TopologyOptions): Record<string, any> {
  const rename = (name: string): string => (name === shippedNames.a ? names.a : name === shippedNames.b ? names.b : name);
  const out: Record<string, any> = structuredClone(doc);
  out.region = { ...out.region, name: me.name };
  out.listen = `127.0.0.1:${me.port}`;
  out.service = `127.0.0.1:${me.servicePort}`;
  out['data-dir'] = path.join(me.dataDir, 'data');
  out['log-level'] = o.logLevel ?? process.env.XDRGATE_TEST_LOG_LEVEL ?? 'warn';
  out['redis-url'] = redis;
  out['redis-key-prefix'] = prefix;
  if (o.antiEntropy !== 'as-shipped') out['anti-entropy'] = o.antiEntropy ?? { enabled: false };
  Object.assign(out, o.extra ?? {});
  out.regions = (out.regions as Array<Record<string, any>>).map((r) => {
    const key = r.name === shippedNames.a ? 'a' : 'b';
    return { ...r, name: names[key], 'gateway-url': urls[key], kafka: { ...r.kafka, brokers: brokers[key].split(',') } };
  });
  out.routes = (out.routes as Array<Record<string, any>>).map((r) => ({
    ...r,
    name: `${rename(r.source)}-${rename(r.destination)}-${r.namespace}`.replace(/_/g, '-'),
    source: rename(r.source),
    destination: rename(r.destination),
    ...(o.resolver ? { resolver: o.resolver } : {}),
  }));
  const ns = out.namespaces[NS];
  if (o.durability) ns.durability = o.durability;
  if (o.stopWritesPct !== undefined) {
    ns['stop-writes-pct'] = o.stopWritesPct;
    ns['high-water-disk-pct'] = Math.min(80, o.stopWritesPct - 5);
  }
  if (o.filesize) ns.storage.filesize = o.filesize;
  if (o.flushMaxMs !== undefined) ns.storage['flush-max-ms'] = o.flushMaxMs;
  return out;
}

export class Topology {
  readonly gateways = new Map<string, Gateway>();
  private constructor(
    private readonly t: CleanupScope,
    readonly a: RegionSetup,
    readonly b: RegionSetup,
    readonly token: string | undefined,
  ) {}

  /**
   * Writes both regions' config files, derived from the shipped ones (both
   * namespaces, their durability, routes both ways, resolvers), in fresh data
   * dirs. Gateways are started separately.
   */
  static async create(t: CleanupScope, kafka: { a: RegionKafka; b: RegionKafka }, o: TopologyOptions = {}): Promise<Topology> {
    const tag = randomBytes(3).toString('hex');
    const names = { a: `tk${tag}`, b: `va${tag}` };
    const redis = await redisUrl();
    const prefix = randomKeyPrefix('xdrgate-fault');
    const regions: Record<'a' | 'b', RegionSetup> = {} as never;
    for (const [key, id] of [['a', 1], ['b', 2]] as const) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `xdrgate-fault-${key}-`));
      defer(t, () => rm(dataDir, { recursive: true, force: true }));
      const [port, servicePort] = [await freePort(), await freePort()];
      regions[key] = { name: names[key], id, port, servicePort, dataDir, configFile: path.join(dataDir, 'gateway.yaml'), url: `http://127.0.0.1:${port}` };
    }
    const docs = { a: YAML.parse(await readFile(path.join(root, SHIPPED_CONFIGS.a), 'utf8')), b: YAML.parse(await readFile(path.join(root, SHIPPED_CONFIGS.b), 'utf8')) };
    const shippedNames = { a: docs.a.region.name as string, b: docs.b.region.name as string };
    const urls = { a: regions.a.url, b: regions.b.url };
    const token = o.extra?.['auth-token'] as string | undefined;
    for (const [self, other] of [['a', 'b'], ['b', 'a']] as const) {
      // This region's own Kafka directly; the other region's through the cuttable proxy.
      const brokers = { [self]: kafka[self].bootstrap, [other]: kafka[other].remote } as Record<'a' | 'b', string>;
      const doc = regionConfig(docs[self], names, shippedNames, regions[self], urls, brokers, redis, prefix, o);
      await writeFile(regions[self].configFile, `# fault-suite region ${regions[self].name}, from ${SHIPPED_CONFIGS[self]}\n${YAML.stringify(doc)}`);
    }
    return new Topology(t, regions.a, regions.b, token);
  }

  /** The name of the route from `from` to `to` for namespace `ns`, as the shipped configs name routes. */
  route(from: RegionSetup, to: RegionSetup, ns = NS): string {
    return `${from.name}-${to.name}-${ns}`.replace(/_/g, '-');
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

export type RegionKey = 'a' | 'b';

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
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  dataDir: string;
  configFile: string;
  url: string;
}

export interface TopologyOptions {
  /** Resolver of both routes. @default 'bin-lww' */
  resolver?: 'lww' | 'bin-lww' | 'generation';
  /** @default true: an acknowledged write is on disk */
  commitToDevice?: boolean;
  /** @default '64M' */
  filesize?: string;
  /** @default 90 */
  stopWritesPct?: number;
  /** Extra YAML lines at the top level (e.g. auth-token). */
  extraYaml?: string;
  /** Log level of the gateway processes. @default $XDRGATE_TEST_LOG_LEVEL or 'warn' */
  logLevel?: string;
  /**
   * The `anti-entropy:` block (YAML flow mapping, e.g. `{ interval: 1s, settle: 1s }`).
   * @default `{ enabled: false }`: a fault test of replication itself must not
   * pass because anti-entropy repaired what replication lost.
   */
  antiEntropy?: string;
}

export interface Gateway {
  region: RegionSetup;
  proc: SpawnedTs;
  client: GatewayClient;
}

export class Topology {
  readonly gateways = new Map<string, Gateway>();
  private constructor(
    private readonly t: CleanupScope,
    readonly a: RegionSetup,
    readonly b: RegionSetup,
    readonly token: string | undefined,
  ) {}

  /** Writes both regions' config files (routes both ways for NS) in fresh data dirs. Gateways are started separately. */
  static async create(t: CleanupScope, kafka: { a: RegionKafka; b: RegionKafka }, o: TopologyOptions = {}): Promise<Topology> {
    const tag = randomBytes(3).toString('hex');
    const names = { a: `tk${tag}`, b: `va${tag}` };
    const redis = await redisUrl();
    const prefix = randomKeyPrefix('xdrgate-fault');
    const regions: Record<'a' | 'b', RegionSetup> = {} as never;
    for (const [key, id] of [['a', 1], ['b', 2]] as const) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `xdrgate-fault-${key}-`));
      defer(t, () => rm(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      regions[key] = { name: names[key], id, port, dataDir, configFile: path.join(dataDir, 'gateway.yaml'), url: `http://127.0.0.1:${port}` };
    }
    const token = /auth-token:\s*(\S+)/.exec(o.extraYaml ?? '')?.[1];
    for (const [self, other] of [['a', 'b'], ['b', 'a']] as const) {
      const me = regions[self];
      // This region's own Kafka directly; the other region's through the cuttable proxy.
      const brokers = { [self]: kafka[self].bootstrap, [other]: kafka[other].remote } as Record<'a' | 'b', string>;
      const yaml = `# fault-suite region ${me.name}
region: { name: ${me.name}, id: ${me.id} }
listen: 127.0.0.1:${me.port}
data-dir: ${path.join(me.dataDir, 'data')}
log-level: ${o.logLevel ?? process.env.XDRGATE_TEST_LOG_LEVEL ?? 'warn'}
max-clock-offset: 60s
redis-url: ${redis}
redis-key-prefix: "${prefix}"
${o.extraYaml ?? ''}
anti-entropy: ${o.antiEntropy ?? '{ enabled: false }'}
namespaces:
  ${NS}:
    stop-writes-pct: ${o.stopWritesPct ?? 90}
    high-water-disk-pct: ${Math.min(80, (o.stopWritesPct ?? 90) - 5)}
    storage:
      engine: device
      filesize: ${o.filesize ?? '64M'}
      write-block-size: 128K
      commit-to-device: ${o.commitToDevice ?? true}
      flush-max-ms: 20
regions:
  - { name: ${names.a}, id: 1, gateway-url: "${regions.a.url}", kafka: { brokers: [${brokers.a.split(',').join(', ')}] } }
  - { name: ${names.b}, id: 2, gateway-url: "${regions.b.url}", kafka: { brokers: [${brokers.b.split(',').join(', ')}] } }
routes:
  - { name: ${names.a}-${names.b}, source: ${names.a}, destination: ${names.b}, namespace: ${NS}, resolver: ${o.resolver ?? 'bin-lww'} }
  - { name: ${names.b}-${names.a}, source: ${names.b}, destination: ${names.a}, namespace: ${NS}, resolver: ${o.resolver ?? 'bin-lww'} }
`;
      await writeFile(me.configFile, yaml);
    }
    return new Topology(t, regions.a, regions.b, token);
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
    return verifyRegions({ from: this.endpoint(this.a), to: this.endpoint(this.b), namespaces: [NS] });
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

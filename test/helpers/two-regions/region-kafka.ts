/**
 * A region's Kafka as two-region tests see it: the suite's shared broker of
 * the region, a broker of the test file's own (a test stops it), or one whose
 * remote listener sits behind a TCP proxy the test can cut (a WAN partition).
 *
 * For the proxied kind the broker has a second listener that the OTHER
 * region's gateway reaches through the proxy; the broker advertises that
 * listener at the proxy's address, so the metadata the remote clients get back
 * keeps them going through the proxy.
 */
import { KafkaBroker, freePort } from '../../../xdr/infra/index.js';
import { defer, type CleanupScope } from '../cleanup.js';
import { infraLogger, kafkaBrokers } from '../kafka.js';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.js';

/**
 * `bootstrap` is what the region's own gateway uses, `remote` what the other
 * region's gateway uses (the proxy's address when there is one). `broker` is
 * set when the test file owns the broker (it may stop it); `proxy` when the
 * link from the other region can be cut.
 */
export interface RegionKafka {
  bootstrap: string;
  remote: string;
  broker?: KafkaBroker;
  proxy?: TcpProxy;
}

export type KafkaKind = 'shared' | 'dedicated' | 'proxied';

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

/** A region's Kafka of the given kind; `name` names a broker the file owns. */
export function regionKafka(t: CleanupScope, kind: KafkaKind, region: 'tokyo' | 'virginia', name: string): Promise<RegionKafka> {
  if (kind === 'shared') return sharedRegionKafka(region);
  return kind === 'dedicated' ? dedicatedRegionKafka(t, name) : proxiedRegionKafka(t, name);
}

/**
 * A gateway in this test process from a shipped config (config/<region>.yaml),
 * on its own temp data dir and free ports, without Kafka or a route catalog:
 * for tests of the record API, the CLI and the gateway's own life cycle, where
 * replication is not what is tested.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../xdr/config/index.js';
import { Gateway } from '../../xdr/gateway.js';
import { NoReplication } from '../../xdr/routes/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the gateway of config/<region>.yaml on `dataDir` (unreachable brokers: nothing ships). */
export function startLocalGatewayOn(dataDir: string, region: 'tokyo' | 'virginia' = 'virginia'): Promise<Gateway> {
  const config = loadConfig(path.join(root, 'config', `${region}.yaml`), {
    env: { XDRGATE_DATA_DIR: dataDir, XDRGATE_LISTEN: '127.0.0.1:0', XDRGATE_SERVICE: '127.0.0.1:0', XDRGATE_KAFKA_TOKYO: '127.0.0.1:1', XDRGATE_KAFKA_VIRGINIA: '127.0.0.1:2' },
  });
  return Gateway.start(config, pino({ level: 'silent' }), { createReplication: async () => new NoReplication(), catalog: null });
}

/** As startLocalGatewayOn, on a fresh temp dir; stopped and removed after the test. */
export async function startLocalGateway(t: { after: (fn: () => unknown) => void }, region: 'tokyo' | 'virginia' = 'virginia'): Promise<Gateway> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `xdrgate-${region}-`));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const gateway = await startLocalGatewayOn(dataDir, region);
  t.after(() => gateway.stop());
  return gateway;
}

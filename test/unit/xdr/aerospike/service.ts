/** A real engine (temp dir, namespace "test" in memory) behind a real service port, for tests. */
import { pino } from 'pino';
import { Engine } from '../../../../engine/index.js';
import { AerospikeService, type ServiceLimits, type ServiceOptions } from '../../../../xdr/aerospike/index.js';
import { defer, type CleanupScope } from '../../../helpers/cleanup.js';
import { tmpDir } from '../../../helpers/tmp.js';

export interface TestService {
  engine: Engine;
  service: AerospikeService;
  port: number;
  dataDir: string;
}

export async function startService(t: CleanupScope, limits: Partial<ServiceLimits> = {}, dataDir?: string, accepting?: () => boolean, login: Pick<ServiceOptions, 'users' | 'sessionTtlSec' | 'nowMs'> = {}): Promise<TestService> {
  const dir = dataDir ?? (await tmpDir(t, 'xdrgate-as-service-'));
  const engine = await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'test', storageEngine: 'memory' }] });
  defer(t, () => engine.close());
  const service = await AerospikeService.start({
    host: '127.0.0.1',
    port: 0,
    region: 'tokyo',
    dataDir: dir,
    engine,
    namespaceSettings: (ns) => (ns === 'test' ? { defaultTtlSec: 0, nsupPeriodSec: 120, storageEngine: 'memory', maxRecordSizeBytes: 1 << 20 } : undefined),
    limits,
    ...(accepting === undefined ? {} : { accepting }),
    ...login,
    logger: pino({ level: 'silent' }),
  });
  defer(t, () => service.stop());
  return { engine, service, port: service.address.port, dataDir: dir };
}

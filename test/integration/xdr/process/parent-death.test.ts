// Gateways started by a test runner die with it: a runner killed with SIGTERM
// (no handler: it exits without cleanup) or SIGKILL leaves no gateway behind,
// because a gateway started with XDRGATE_PARENT_PID stops when its parent pid
// changes (it was orphaned). Real processes: a stand-in runner starts
// `xdrgate serve --standalone`, and the test kills the runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive } from '../../../../xdr/process/index.js';
import { childEnv } from '../../../helpers/gateway-env.js';
import { defer } from '../../../helpers/cleanup.js';
import { randomKeyPrefix, redisUrl } from '../../../helpers/redis.js';
import { spawnTs } from '../../../helpers/spawn.js';
import { tmpDir, type CleanupScope } from '../../../helpers/tmp.js';
import { waitFor } from '../../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const runnerScript = path.join(root, 'test', 'fixtures', 'process', 'gateway-parent.ts');

/** Gone, or a zombie no one reaped yet (an orphan's new parent reaps it in its own time). */
function gone(pid: number): boolean {
  if (!pidAlive(pid)) return true;
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function orphanedGatewayStops(t: CleanupScope, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const dir = await tmpDir(t, 'xdrgate-parent-');
  const logFile = path.join(dir, 'gateway.log');
  const runner = spawnTs(t, runnerScript, {
    args: [path.join(root, 'bin', 'xdrgate.js'), path.join(root, 'config', 'tokyo.yaml'), logFile],
    env: childEnv({
      XDRGATE_DATA_DIR: path.join(dir, 'data'),
      XDRGATE_LISTEN: '127.0.0.1:0',
      XDRGATE_SERVICE: '127.0.0.1:0',
      XDRGATE_REDIS_URL: await redisUrl(),
      XDRGATE_REDIS_PREFIX: randomKeyPrefix('xdrgate-parent'),
      XDRGATE_LOG_LEVEL: 'info',
    }),
  });
  const pid = Number((await runner.waitForOutput(/gateway pid (\d+)/, 30_000))[1]);
  // If the watch failed, the test must not leak the gateway it started.
  defer(t, () => {
    if (!gone(pid)) process.kill(pid, 'SIGKILL');
  });
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  await waitFor(() => /"msg":"ready/.test(log()) || /listening/.test(log()), { timeoutMs: 90_000, intervalMs: 200, what: `the gateway to listen (log: ${logFile})` });
  runner.child.kill(signal);
  await runner.exited;
  const killedMs = Date.now();
  await waitFor(() => gone(pid), { timeoutMs: 30_000, intervalMs: 100, what: `gateway ${pid} to stop after its runner got ${signal}` });
  const text = log();
  assert.match(text, /the process that started this gateway is gone/, 'stopped by the parent watch');
  assert.match(text, /"msg":"stopped"/, 'a clean stop (data folder released), not a crash');
  assert.ok(Date.now() - killedMs < 30_000);
}

test('a runner killed with SIGTERM or SIGKILL leaves no gateway behind: it stops cleanly within seconds', { timeout: 180_000 }, async (t) => {
  await Promise.all([orphanedGatewayStops(t, 'SIGTERM'), orphanedGatewayStops(t, 'SIGKILL')]);
});

/**
 * The environment of a gateway or CLI child process: the test runner exports
 * XDRGATE_* for its own shared brokers and Redis, and a gateway reads
 * XDRGATE_* as config overrides, so every inherited one is dropped (undefined
 * values are not passed) and the child's config file says everything.
 * XDRGATE_PARENT_PID makes a gateway stop when this test process is gone: a
 * runner killed with SIGTERM or SIGKILL leaves no gateway behind.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of Object.keys(process.env)) if (name.startsWith('XDRGATE_') && name !== 'XDRGATE_TEST_LOG_LEVEL') env[name] = undefined;
  return { ...env, XDRGATE_FROM_SOURCE: '1', XDRGATE_PARENT_PID: String(process.pid), ...extra };
}

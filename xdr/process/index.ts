/**
 * xdr/process: what xdrgate's processes need to own their resources and to
 * keep each other running: one owner per data folder (dir-lock.ts), one
 * listener per address (address.ts), what /proc says about other processes
 * (proc-info.ts), a gateway that stops when the process that started it is
 * gone (parent-watch.ts), and a supervisor that restarts a child that died, with
 * backoff and a limit (supervisor.ts, restart-policy.ts). The only door of
 * this folder.
 */
export { acquireDirLock, readLockHolder, holderAlive, DirLock, LOCK_FILE_NAME, type DirLockOptions, type DirLockKind, type LockHolder } from './dir-lock.js';
export { addressFree, addressInUseError, assertAddressFree } from './address.js';
export { parentPidFromEnv, watchParent, PARENT_POLL_MS, type ParentWatchOptions } from './parent-watch.js';
export { describeProcess, listenersOf, pidAlive, posixLockHolders, processCommand, processStartTicks, processesWithFileOpen, type ProcessInfo } from './proc-info.js';
export { decideRestart, freshHistory, restartPolicy, RESTART_POLICY_DEFAULT, type RestartDecision, type RestartHistory, type RestartPolicy } from './restart-policy.js';
export {
  Supervisor,
  systemClock,
  type ExitInfo,
  type ServiceSpec,
  type ServiceState,
  type ServiceStatus,
  type SupervisedProcess,
  type SupervisorClock,
  type SupervisorEvent,
  type SupervisorOptions,
} from './supervisor.js';

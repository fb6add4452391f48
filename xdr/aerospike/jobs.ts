/**
 * Background scans and queries (jobs that apply write ops to every record they
 * find): their progress, which clients poll with `query-show:trid=<id>`.
 * Finished jobs are remembered up to a limit, oldest forgotten first.
 */
import type { Logger } from 'pino';

/** Finished jobs kept for `query-show`. */
const FINISHED_KEPT = 256;
/** Jobs running at once; more are refused (the client sees the error at once). */
export const JOBS_RUNNING_MAX = 16;

export interface Job {
  trid: string;
  kind: 'scan' | 'query';
  ns: string;
  set: string;
  status: 'active' | 'done(ok)' | 'done(error)';
  recordsDone: number;
  recordsFailed: number;
  startedMs: number;
  finishedMs?: number;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private readonly stopping = new AbortController();

  constructor(private readonly logger: Logger) {}

  runningCount(): number {
    return this.running;
  }

  /** Starts `work` as job `trid`; false when too many jobs run already. */
  start(trid: string, kind: Job['kind'], ns: string, set: string, work: (job: Job, signal: AbortSignal) => Promise<void>): boolean {
    if (this.running >= JOBS_RUNNING_MAX) return false;
    const job: Job = { trid, kind, ns, set, status: 'active', recordsDone: 0, recordsFailed: 0, startedMs: Date.now() };
    this.jobs.set(trid, job);
    this.running++;
    work(job, this.stopping.signal).then(
      () => (job.status = 'done(ok)'),
      (err: unknown) => {
        job.status = 'done(error)';
        this.logger.warn({ err, trid, ns, set }, 'background job failed');
      },
    ).finally(() => {
      this.running--;
      job.finishedMs = Date.now();
      this.forgetOld();
    });
    return true;
  }

  get(trid: string): Job | undefined {
    return this.jobs.get(trid);
  }

  all(): Job[] {
    return [...this.jobs.values()];
  }

  /** Aborts running jobs (gateway shutdown). */
  stop(): void {
    this.stopping.abort();
  }

  private forgetOld(): void {
    if (this.jobs.size <= FINISHED_KEPT) return;
    for (const [trid, job] of this.jobs) {
      if (this.jobs.size <= FINISHED_KEPT) break;
      if (job.status !== 'active') this.jobs.delete(trid);
    }
  }
}

/** A job as `query-show` describes it: `:`-separated `key=value` items, status early (clients read `status=`, `job-progress=`, `recs-succeeded=`). */
export function describeJob(job: Job): string {
  const done = job.status !== 'active';
  return [
    `trid=${job.trid}`,
    `status=${job.status}`,
    `job-type=${job.kind}`,
    `ns=${job.ns}`,
    `set=${job.set}`,
    `job-progress=${done ? 100 : 0}`,
    `recs-succeeded=${job.recordsDone}`,
    `recs-failed=${job.recordsFailed}`,
    `run-time=${(job.finishedMs ?? Date.now()) - job.startedMs}`,
  ].join(':');
}

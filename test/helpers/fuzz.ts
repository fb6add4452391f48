/**
 * Running a fast-check property so that any failure can be replayed.
 *
 * fast-check puts the seed and path in its error message, but a test runner
 * that shows only the assertion (or a CI log cut short) loses them; a fuzz
 * test that failed once and passed on rerun is then a lost bug. `fuzzAssert`
 * fixes the seed before running, and on failure writes it with the path and
 * the counterexample three ways: a line on stderr, a node:test diagnostic, and
 * a JSON line appended to test-results/fuzz-failures.jsonl (gitignored).
 *
 * Replay: XDRGATE_FUZZ_SEED=<seed> XDRGATE_FUZZ_PATH=<path> node scripts/test.mjs --unit <file>
 * More runs: XDRGATE_FUZZ_RUNS=<n> (each test keeps its own default otherwise).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const failuresFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'fuzz-failures.jsonl');

/** What a test passes through to fast-check besides the seed, path and run count. */
export interface FuzzOptions<Ts> {
  /** Runs when XDRGATE_FUZZ_RUNS is not set. */
  numRunsDefault: number;
  /** Cheap properties run this many times XDRGATE_FUZZ_RUNS when it is set. @default 1 */
  runsFactor?: number;
  /** Past failures kept as fixed regression cases; they run first, every time. */
  examples?: Ts[];
}

/** The subset of node:test's TestContext used here. */
export interface FuzzScope {
  name: string;
  diagnostic(message: string): void;
}

/** The seed to use: XDRGATE_FUZZ_SEED when set, otherwise a fresh one (recorded on failure). */
export function fuzzSeed(): number {
  const fixed = process.env.XDRGATE_FUZZ_SEED;
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed);
    if (!Number.isInteger(seed)) throw new Error(`XDRGATE_FUZZ_SEED must be an integer, got ${JSON.stringify(fixed)}`);
    return seed;
  }
  return (Math.random() * 0x1_0000_0000) | 0;
}

/** Run count: XDRGATE_FUZZ_RUNS (times `runsFactor`) when set, else the test's default. */
export function fuzzRuns(numRunsDefault: number, runsFactor = 1): number {
  const runs = process.env.XDRGATE_FUZZ_RUNS;
  return runs === undefined || runs === '' ? numRunsDefault : Math.max(1, Math.round(Number(runs) * runsFactor));
}

/** One line that replays the failure. */
export function replayLine(seed: number, pathReplay: string | undefined): string {
  return `XDRGATE_FUZZ_SEED=${seed}${pathReplay ? ` XDRGATE_FUZZ_PATH=${pathReplay}` : ''}`;
}

/** fc.assert for sync or async properties, recording seed, path and counterexample on failure. */
export async function fuzzAssert<Ts>(t: FuzzScope, property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, options: FuzzOptions<Ts>): Promise<void> {
  const seed = fuzzSeed();
  const pathReplay = process.env.XDRGATE_FUZZ_PATH || undefined;
  const params: fc.Parameters<Ts> = {
    seed,
    numRuns: fuzzRuns(options.numRunsDefault, options.runsFactor),
    ...(pathReplay === undefined ? {} : { path: pathReplay }),
    ...(options.examples === undefined ? {} : { examples: options.examples }),
  };
  const details = await fc.check(property as fc.IRawProperty<Ts>, params);
  if (!details.failed) return;
  const counterexample = details.counterexample === null ? 'none' : fc.stringify(details.counterexample);
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const record = { at: new Date().toISOString(), test: t.name, seed: details.seed, path: details.counterexamplePath, counterexample: counterexample.slice(0, 4000), error: error.slice(0, 1000) };
  const line = `[fuzz] "${t.name}" failed; replay with ${replayLine(details.seed, details.counterexamplePath ?? undefined)}`;
  process.stderr.write(`${line}\n`);
  t.diagnostic(line);
  try {
    mkdirSync(path.dirname(failuresFile), { recursive: true });
    appendFileSync(failuresFile, `${JSON.stringify(record)}\n`);
  } catch (err) {
    process.stderr.write(`[fuzz] could not record the failure in ${failuresFile}: ${(err as Error).message}\n`);
  }
  throw new Error(`${line}\n${(await fc.asyncDefaultReportMessage(details)) ?? ''}`, { cause: details.errorInstance ?? undefined });
}

import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  /** The last `tailLinesMax` lines of stdout and stderr, interleaved. */
  tail: string[];
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called for each output line, e.g. to turn Maven's download lines into progress. */
  onLine?: (line: string) => void;
  /** Bounded so a chatty tool cannot grow memory without limit. @default 200 */
  tailLinesMax?: number;
}

/** Thrown (as a plain error with code 'ENOENT') when the executable does not exist. */
export class CommandNotFoundError extends Error {
  override readonly name = 'CommandNotFoundError';
  constructor(readonly command: string) {
    super(`command not found: ${command}`);
  }
}

/** Runs a short-lived tool to completion, collecting a bounded tail of its output. */
export async function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const tailLinesMax = options.tailLinesMax ?? 200;
  const tail: string[] = [];
  return await new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // One splitter per stream, so a partial line of stdout never glues onto stderr.
    const splitter = (): ((chunk: Buffer) => void) => {
      let partial = '';
      return (chunk: Buffer): void => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > tailLinesMax) tail.shift();
          options.onLine?.(line);
        }
      };
    };
    child.stdout.on('data', splitter());
    child.stderr.on('data', splitter());
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new CommandNotFoundError(command) : err);
    });
    child.once('close', (code) => resolve({ code, tail }));
  });
}

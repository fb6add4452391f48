/**
 * A pino logger for the developer-facing scripts (test runner, kafka CLI): one
 * readable line per record on stderr instead of JSON, without pulling in
 * pino-pretty. Library code still takes a normal pino Logger.
 */
import { pino, type Logger } from 'pino';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields every record has; printing them on each line is noise. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'module']);

export function formatRecord(line: string, tag: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `[${tag}] ${line}`;
  }
  const level = LEVEL_NAMES[Number(record.level)] ?? String(record.level);
  const fields = Object.entries(record)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const levelText = level === 'info' ? '' : `${level.toUpperCase()} `;
  return `[${tag}] ${levelText}${String(record.msg ?? '')}${fields === '' ? '' : ` (${fields})`}`;
}

export function humanLogger(tag: string, level = process.env.XDRGATE_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { level },
    {
      write(chunk: string): void {
        for (const line of chunk.split('\n')) if (line !== '') process.stderr.write(`${formatRecord(line, tag)}\n`);
      },
    },
  );
}

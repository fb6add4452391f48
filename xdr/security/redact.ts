/**
 * Secrets never reach logs: the bearer token, Kafka SASL passwords and the
 * password inside a Redis URL. One list of pino redact paths for every logger
 * the gateway creates, and a censor that keeps what helps an operator (the
 * Redis host and port) while hiding the credential. Wildcards cover the shapes
 * the code logs today: `{ redis: url }`, `{ redisUrl }`, a config object, an
 * HTTP request's headers, a kafkajs option object carrying `sasl`.
 */
import type { LoggerOptions } from 'pino';

export const REDACTED = '[redacted]';

export const REDACT_PATHS: readonly string[] = [
  'authToken', '*.authToken', 'auth-token', '*["auth-token"]', 'token', '*.token',
  'password', '*.password', '*.*.password', 'credential', '*.credential', '*.*.credential', 'users', '*.users', '*.sasl.password', '*.*.sasl.password',
  'sasl', '*.sasl', 'regions[*].kafka.sasl', 'config.regions[*].kafka.sasl',
  'req.headers.authorization', 'headers.authorization', '*.headers.authorization', 'authorization', '*.authorization',
  'redis', 'redisUrl', '*.redis', '*.redisUrl',
];

/** A URL with its password (and user name) replaced; other strings unchanged. */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password === '' && u.username === '') return value;
    if (u.password !== '') u.password = 'redacted';
    else u.username = 'redacted';
    return u.toString();
  } catch {
    return value;
  }
}

/** pino censor: URLs keep host and port, everything else under a secret path is replaced whole. */
export function censor(value: unknown): unknown {
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return redactUrl(value);
  return REDACTED;
}

/** The options of the gateway's root logger (xdrgate serve). */
export function gatewayLoggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: [...REDACT_PATHS], censor } };
}

/**
 * A deep copy of a configuration (or any JSON value) with secrets masked, for
 * `serve --check` and anything else that prints a whole config.
 */
export function redactConfig<T>(value: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      if (/^(authToken|auth-token|password|credential|token)$/.test(key)) return REDACTED;
      return /url$/i.test(key) ? redactUrl(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, '') as T;
}

/**
 * The one error class shape of the project: a stable code, a message, the
 * `retriable` flag taken from the code's declaration, context details and an
 * optional cause. Each module gets its own subclass from `errorClass` (so
 * `instanceof` and the error's name still say where it came from); the fields
 * and their filling live here once.
 */
import type { ErrorTable } from './define.js';

export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly retriable: boolean;
  /** Context that helps the operator: namespace, route, file, offset, ... */
  readonly details: Record<string, unknown>;

  constructor(code: C, retriable: boolean, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = retriable;
    this.details = details;
  }
}

/**
 * A module's error class over its table, in the spirit of fastify's
 * createError: `new ShipError('SHIP_ERR_BUSY', message, details, { cause })`.
 * The message defaults to the code's declared message.
 */
export function errorClass<const T extends ErrorTable>(name: string, table: T) {
  type Code = keyof T & string;
  class ModuleError extends CodedError<Code> {
    override readonly name: string = name;

    constructor(code: Code, message: string = table[code]!.message, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
      super(code, table[code]!.retriable, message, details, options);
    }
  }
  // The class's own name too: pino's error serializer reports it as `type`.
  Object.defineProperty(ModuleError, 'name', { value: name });
  return ModuleError;
}

/** `isShipError(err, 'SHIP_ERR_BUSY')`: the error is of that class (and has that code). */
export function errorGuard<E extends CodedError>(cls: abstract new (...args: never[]) => E): (err: unknown, code?: E['code']) => err is E {
  return (err: unknown, code?: E['code']): err is E => err instanceof cls && (code === undefined || err.code === code);
}

/**
 * Whether a failure is worth retrying: the `retriable` flag of a coded error
 * (ours, and kafkajs's errors carry one too). A failure that says nothing
 * (a Node error, a thrown string) counts as retriable, so loops that must not
 * lose data keep trying, as they did before they read the flag.
 */
export function isRetriable(err: unknown): boolean {
  return (err as { retriable?: unknown } | null)?.retriable !== false;
}

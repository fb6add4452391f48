/**
 * The one shape of every xdr/ error: a stable code, a `retriable` flag taken from
 * the module's registry, context details and an optional cause. Each xdr/ module
 * keeps its own registry and subclass (so `instanceof` and `name` still say where
 * an error came from); the fields and their filling live here once.
 */
export abstract class CodedError<C extends string> extends Error {
  readonly code: C;
  readonly retriable: boolean;
  /** Context that helps the operator: route, region, file, ... */
  readonly details: Record<string, unknown>;

  protected constructor(code: C, retriable: boolean, message: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = retriable;
    this.details = details;
  }
}

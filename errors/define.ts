/**
 * The one shape of an error code's declaration. Every code of every module is
 * declared once, in a table built with `defineErrors`, with what each consumer
 * of errors needs: the message (what went wrong, also the default message and
 * the meaning in docs/errors.md), the HTTP status the API answers with, the
 * Aerospike result code the service port answers with, whether a retry can
 * succeed, and what the operator or client should do (docs/errors.md).
 */

export interface ErrorSpec {
  /** What went wrong, in one sentence; the message of an error raised without one. */
  readonly message: string;
  /** The HTTP status of a reply that carries this code. */
  readonly status: number;
  /**
   * The Aerospike client-protocol result code of a reply that carries this code.
   * Absent where no client request can meet the code: such a reply answers 1
   * (UNKNOWN, a server error), and the service port logs it as unmapped.
   */
  readonly resultCode?: number;
  /** True when repeating the failed action can succeed without anyone changing anything. */
  readonly retriable: boolean;
  /** What to do about it (docs/errors.md). */
  readonly fix: string;
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

/**
 * Declares a module's codes. The codes keep their module prefix (ENGINE_ERR_*,
 * SHIP_ERR_*, ...); the table is frozen so nothing changes a status at run time.
 */
export function defineErrors<const T extends ErrorTable>(table: T): T {
  for (const [code, spec] of Object.entries(table)) {
    if (!/^[A-Z]+_ERR_[A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} does not read PREFIX_ERR_NAME`);
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) throw new Error(`error code ${code}: HTTP status ${spec.status} is not an error status`);
    if (spec.resultCode !== undefined && (!Number.isInteger(spec.resultCode) || spec.resultCode <= 0 || spec.resultCode > 255)) throw new Error(`error code ${code}: result code ${spec.resultCode} is not one byte`);
    Object.freeze(spec);
  }
  return Object.freeze(table);
}

/**
 * Typed errors of the local infrastructure launcher (Kafka provisioning, KRaft
 * brokers, Redis). Same pattern as engine/errors.ts: a registry of stable codes
 * with a `retriable` flag, listed in docs/errors.md, and one error class. The
 * messages say what to install or look at, because the reader is usually a
 * developer or a CI log, not a program.
 */

import { CodedError } from '../coded-error.js';

export const INFRA_ERRORS = {
  XDR_ERR_INFRA_JAVA_MISSING: { retriable: false, summary: 'no java executable was found to run Kafka' },
  XDR_ERR_INFRA_MAVEN_MISSING: { retriable: false, summary: 'no mvn executable was found to download Kafka' },
  XDR_ERR_INFRA_PROVISION_FAILED: { retriable: true, summary: 'downloading the Kafka jars from Maven Central failed' },
  XDR_ERR_INFRA_BROKER_FORMAT_FAILED: { retriable: false, summary: 'formatting the KRaft storage of a broker failed' },
  XDR_ERR_INFRA_BROKER_START_FAILED: { retriable: true, summary: 'a Kafka broker exited or did not answer within its start timeout' },
  XDR_ERR_INFRA_REDIS_MISSING: { retriable: false, summary: 'no Redis answered and no redis-server executable was found to start one' },
  XDR_ERR_INFRA_REDIS_START_FAILED: { retriable: true, summary: 'a redis-server started by xdrgate exited or did not answer in time' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type InfraErrorCode = keyof typeof INFRA_ERRORS;

export class InfraError extends CodedError<InfraErrorCode> {
  override readonly name = 'InfraError';

  constructor(code: InfraErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, INFRA_ERRORS[code].retriable, message, details, options);
  }
}

export function isInfraError(err: unknown, code?: InfraErrorCode): err is InfraError {
  return err instanceof InfraError && (code === undefined || err.code === code);
}

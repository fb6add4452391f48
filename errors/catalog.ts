/**
 * Every module's table in one place: what the HTTP layer, the Aerospike service
 * port and docs/errors.md read a code's status, result code and meaning from.
 * The order of SECTIONS is the order of docs/errors.md.
 */
import { CONFIG_ERRORS } from './config.js';
import { CONFLICT_ERRORS } from './conflict.js';
import { DASHBOARD_ERRORS } from './dashboard.js';
import type { ErrorSpec, ErrorTable } from './define.js';
import { DURABILITY_ERRORS } from './durability.js';
import { ENGINE_ERRORS } from './engine.js';
import { XDR_ERRORS } from './gateway.js';
import { INFRA_ERRORS } from './infra.js';
import { PROTO_ERRORS } from './protocol.js';
import { RECV_ERRORS } from './receiver.js';
import { REPLICATION_ERRORS } from './replication.js';
import { ResultCode } from './result-codes.js';
import { SERVICE_ERRORS } from './service.js';
import { SHIP_ERRORS } from './shipper.js';
import { VERIFY_ERRORS } from './verify.js';
import { WIRE_ERRORS } from './wire.js';

export interface ErrorSection {
  title: string;
  /** The error class that carries these codes, and where it is defined. */
  errorClass: string;
  raisedBy: string;
  /** The table's file under errors/. */
  file: string;
  /** A paragraph of docs/errors.md above the table, when the section needs one. */
  intro?: string;
  table: ErrorTable;
}

const RECEIVER_INTRO = 'Dead-lettered messages carry `<code>: <message>` in their `xdr-reason` header (topic `<route topic>.dlq` in the source Kafka).';
const CODEC_INTRO = 'Raised while decoding what a client sent to the service port. Where the framing is lost the connection is closed instead of answered.';

export const SECTIONS: readonly ErrorSection[] = [
  { title: 'Engine', errorClass: 'EngineError', raisedBy: 'engine/', file: 'errors/engine.ts', table: ENGINE_ERRORS, intro: 'Records, namespaces, devices and the change log; also operate steps, secondary indexes, batch reads, scans and queries.' },
  { title: 'Local infrastructure', errorClass: 'InfraError', raisedBy: 'xdr/infra/', file: 'errors/infra.ts', table: INFRA_ERRORS },
  { title: 'Configuration', errorClass: 'ConfigError', raisedBy: 'xdr/config/', file: 'errors/config.ts', table: CONFIG_ERRORS },
  { title: 'Gateway', errorClass: 'XdrError', raisedBy: 'xdr/', file: 'errors/gateway.ts', table: XDR_ERRORS },
  { title: 'Wire format', errorClass: 'WireError', raisedBy: 'replication-protocol/wire/', file: 'errors/wire.ts', table: WIRE_ERRORS },
  { title: 'Conflict', errorClass: 'ConflictError', raisedBy: 'conflict/', file: 'errors/conflict.ts', table: CONFLICT_ERRORS },
  { title: 'Shipper', errorClass: 'ShipError', raisedBy: 'shipper/', file: 'errors/shipper.ts', table: SHIP_ERRORS },
  { title: 'Receiver', errorClass: 'RecvError', raisedBy: 'receiver/', file: 'errors/receiver.ts', table: RECV_ERRORS, intro: RECEIVER_INTRO },
  { title: 'Replication wiring', errorClass: 'ReplicationError', raisedBy: 'xdr/replication/', file: 'errors/replication.ts', table: REPLICATION_ERRORS },
  { title: 'Durability', errorClass: 'DurabilityError', raisedBy: 'xdr/durability/', file: 'errors/durability.ts', table: DURABILITY_ERRORS },
  { title: 'Verify', errorClass: 'VerifyError', raisedBy: 'xdr/verify/', file: 'errors/verify.ts', table: VERIFY_ERRORS },
  { title: 'Dashboard', errorClass: 'DashboardError', raisedBy: 'xdr/dashboard/', file: 'errors/dashboard.ts', table: DASHBOARD_ERRORS },
  { title: 'Aerospike client protocol: codec', errorClass: 'ProtocolError', raisedBy: 'aerospike-protocol/', file: 'errors/protocol.ts', table: PROTO_ERRORS, intro: CODEC_INTRO },
  { title: 'Aerospike service port', errorClass: 'ServiceError', raisedBy: 'xdr/aerospike/', file: 'errors/service.ts', table: SERVICE_ERRORS },
];

const SPECS = new Map<string, ErrorSpec>();
for (const section of SECTIONS) {
  for (const [code, spec] of Object.entries(section.table)) {
    if (SPECS.has(code)) throw new Error(`error code ${code} is declared twice`);
    SPECS.set(code, spec);
  }
}

/** The declaration of a code, or undefined when no table declares it. */
export function errorSpec(code: string): ErrorSpec | undefined {
  return SPECS.get(code);
}

/** Every declared code, in docs order. */
export function errorCodes(): string[] {
  return [...SPECS.keys()];
}

/**
 * The HTTP status of a code: its declared one; for a code no table declares
 * (a bug, or a foreign error that looks like ours), 503 when the error says it is
 * retriable and 500 otherwise.
 */
export function httpStatusOf(code: string, retriable = false): number {
  return SPECS.get(code)?.status ?? (retriable ? 503 : 500);
}

/**
 * The Aerospike result code for any thrown value: its code's declared one, else
 * 1 (UNKNOWN, a generic server error) with `known` false, which the service
 * port logs as a bug.
 */
export function resultCodeFor(err: unknown): { resultCode: number; known: boolean } {
  const code = (err as { code?: unknown } | null)?.code;
  const declared = typeof code === 'string' ? SPECS.get(code)?.resultCode : undefined;
  return declared === undefined ? { resultCode: ResultCode.UNKNOWN, known: false } : { resultCode: declared, known: true };
}

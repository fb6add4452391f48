/**
 * The admin (security) message, proto type 2: what Aerospike clients send to
 * log in when they are configured with a user. After the 8-byte proto header
 * comes a 16-byte admin header (byte 1: result code in replies, byte 2: the
 * command, byte 3: the field count; the rest zero), then the fields, each a
 * 4-byte big-endian size that counts the 1-byte field id before the data.
 *
 * A login is LOGIN(user, credential[, clear password]); the credential is the
 * password's bcrypt hash with Aerospike's fixed salt, so a password never
 * crosses the wire. The reply carries a session token and its TTL; later
 * connections send AUTHENTICATE(user, session token) instead of the password.
 */
import type { ByteWriter } from './byte-writer.js';
import { MessageType } from './constants.js';
import { ProtocolError } from './errors.js';
import { beginFrame, endFrame } from './reply.js';

export const AdminCommand = {
  AUTHENTICATE: 0,
  CREATE_USER: 1,
  DROP_USER: 2,
  SET_PASSWORD: 3,
  CHANGE_PASSWORD: 4,
  GRANT_ROLES: 5,
  REVOKE_ROLES: 6,
  QUERY_USERS: 9,
  CREATE_ROLE: 10,
  DROP_ROLE: 11,
  GRANT_PRIVILEGES: 12,
  REVOKE_PRIVILEGES: 13,
  SET_WHITELIST: 14,
  SET_QUOTAS: 15,
  QUERY_ROLES: 16,
  LOGIN: 20,
} as const;

export const AdminField = {
  USER: 0,
  PASSWORD: 1,
  OLD_PASSWORD: 2,
  CREDENTIAL: 3,
  CLEAR_PASSWORD: 4,
  SESSION_TOKEN: 5,
  SESSION_TTL: 6,
} as const;

/** The salt every Aerospike client hashes passwords with (bcrypt, cost 10): the credential is the same on every client. */
export const ADMIN_PASSWORD_SALT = '$2a$10$7EqJtq98hPqEX7fNZaFWoO';

const ADMIN_HEADER_BYTES = 16;
const FIELD_HEADER_BYTES = 5;
/** The admin messages clients send hold a user, a credential and a token: a few hundred bytes. */
export const ADMIN_MESSAGE_BYTES_MAX = 64 * 1024;
/** More fields than any admin command has (create-role with quotas and a whitelist has 5). */
const ADMIN_FIELDS_MAX = 16;

export interface AdminRequest {
  command: number;
  /** Field id → data (views into the message body). A repeated id keeps the last. */
  fields: Map<number, Buffer>;
}

/** Decodes an admin message body (after the proto header). Throws PROTO_ERR_MALFORMED / PROTO_ERR_LIMIT; the framing holds. */
export function parseAdminRequest(body: Buffer): AdminRequest {
  if (body.length > ADMIN_MESSAGE_BYTES_MAX) throw new ProtocolError('PROTO_ERR_LIMIT', `an admin message of ${body.length} bytes is over ${ADMIN_MESSAGE_BYTES_MAX}`);
  if (body.length < ADMIN_HEADER_BYTES) throw new ProtocolError('PROTO_ERR_MALFORMED', `an admin message needs a ${ADMIN_HEADER_BYTES}-byte header; this one has ${body.length} bytes`);
  const command = body[2]!;
  const count = body[3]!;
  if (count > ADMIN_FIELDS_MAX) throw new ProtocolError('PROTO_ERR_LIMIT', `an admin message with ${count} fields is over ${ADMIN_FIELDS_MAX}`);
  const fields = new Map<number, Buffer>();
  let at = ADMIN_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + FIELD_HEADER_BYTES > body.length) throw new ProtocolError('PROTO_ERR_MALFORMED', `admin field ${i} of ${count} starts past the end of the message`);
    const size = body.readUInt32BE(at);
    if (size < 1 || at + 4 + size > body.length) throw new ProtocolError('PROTO_ERR_MALFORMED', `admin field ${i} of ${count} (size ${size}) runs past the end of the message`);
    fields.set(body[at + 4]!, body.subarray(at + FIELD_HEADER_BYTES, at + 4 + size));
    at += 4 + size;
  }
  return { command, fields };
}

export interface AdminReplyField {
  id: number;
  data: Uint8Array;
}

/** An admin reply: proto header, admin header with `resultCode` at byte 1 and the field count at byte 3, then the fields. */
export function writeAdminReply(w: ByteWriter, resultCode: number, fields: readonly AdminReplyField[] = []): void {
  const frame = beginFrame(w, MessageType.ADMIN);
  w.ensure(ADMIN_HEADER_BYTES);
  w.buf.fill(0, w.pos, w.pos + ADMIN_HEADER_BYTES);
  w.buf[w.pos + 1] = resultCode;
  w.buf[w.pos + 3] = fields.length;
  w.pos += ADMIN_HEADER_BYTES;
  for (const f of fields) {
    w.u32(f.data.length + 1);
    w.u8(f.id);
    w.bytes(f.data);
  }
  endFrame(w, frame);
}

/** The SESSION_TTL field's data: seconds, 4 bytes big-endian. */
export function sessionTtlField(seconds: number): AdminReplyField {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(seconds);
  return { id: AdminField.SESSION_TTL, data };
}

// The admin (login) message as Aerospike clients write it, byte by byte, and
// what the codec refuses in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCommand, AdminField, ByteWriter, ProtocolError, parseAdminRequest, sessionTtlField, writeAdminReply, type ProtocolErrorCode,
} from '../../../aerospike-protocol/index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// LOGIN("ada", credential "$2a$") as the C and Java clients lay it out after the proto header:
// 16-byte admin header (command 20 at byte 2, 2 fields at byte 3), then each field: size (id + data), id, data.
const LOGIN_BODY = hex(`0000 14 02 ${'00'.repeat(12)}  00000004 00 616461  00000005 03 24326124`);

function refuses(fn: () => unknown, code: ProtocolErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof ProtocolError && err.code === code && !err.framingLost);
}

test('a login request: command, user and credential', () => {
  const req = parseAdminRequest(LOGIN_BODY);
  assert.equal(req.command, AdminCommand.LOGIN);
  assert.equal(req.fields.get(AdminField.USER)!.toString(), 'ada');
  assert.equal(req.fields.get(AdminField.CREDENTIAL)!.toString(), '$2a$');
});

test('truncated headers and fields, zero-sized fields and too many fields are refused; the framing holds', () => {
  for (let n = 0; n < LOGIN_BODY.length; n++) {
    if (n === 16) continue; // a header alone with field count 2 is refused below too
    refuses(() => parseAdminRequest(LOGIN_BODY.subarray(0, n)), 'PROTO_ERR_MALFORMED');
  }
  refuses(() => parseAdminRequest(LOGIN_BODY.subarray(0, 16)), 'PROTO_ERR_MALFORMED');
  refuses(() => parseAdminRequest(hex(`0000 14 01 ${'00'.repeat(12)} 00000000 00`)), 'PROTO_ERR_MALFORMED');
  refuses(() => parseAdminRequest(hex(`0000 14 ff ${'00'.repeat(12)}`)), 'PROTO_ERR_LIMIT');
  refuses(() => parseAdminRequest(Buffer.alloc(65 * 1024)), 'PROTO_ERR_LIMIT');
});

test('a login reply: result 0, the session token and its TTL in seconds', () => {
  const w = new ByteWriter();
  writeAdminReply(w, 0, [{ id: AdminField.SESSION_TOKEN, data: hex('abcd') }, sessionTtlField(86_400)]);
  assert.equal(w.take().toString('hex'), hex(`02 02 000000000020  00 00 00 02 ${'00'.repeat(12)}  00000003 05 abcd  00000005 06 00015180`).toString('hex'));
});

test('a refusal: the result code at byte 1 of the admin header, no fields', () => {
  const w = new ByteWriter();
  writeAdminReply(w, 65);
  assert.equal(w.take().toString('hex'), hex(`02 02 000000000010  00 41 00 00 ${'00'.repeat(12)}`).toString('hex'));
});

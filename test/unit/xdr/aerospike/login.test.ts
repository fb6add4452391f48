// Login on the service port when users are configured: Aerospike Enterprise's
// login message and session tokens, spoken byte by byte by a raw client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCommand, AdminField, Info1, Info2, MessageType, OpType, ParticleType, ResultCode } from '../../../../aerospike-protocol/index.js';
import { ServiceSecurity, credentialOf } from '../../../../xdr/aerospike/index.js';
import { WireClient, decodeReply, frameOf, infoFrame, infoText, intValue, keyFields, msgFrame } from '../../../helpers/aerospike-wire.js';
import { startService } from './service.js';

const PASSWORD = 'correct horse';
const CREDENTIAL = credentialOf(PASSWORD);

function adminFrame(command: number, fields: Array<[number, Buffer]>): Buffer {
  const header = Buffer.alloc(16);
  header[2] = command;
  header[3] = fields.length;
  const parts = fields.map(([id, data]) => {
    const h = Buffer.alloc(5);
    h.writeUInt32BE(data.length + 1);
    h[4] = id;
    return Buffer.concat([h, data]);
  });
  return frameOf(MessageType.ADMIN, Buffer.concat([header, ...parts]));
}

const login = (user: string, credential: string) => adminFrame(AdminCommand.LOGIN, [[AdminField.USER, Buffer.from(user)], [AdminField.CREDENTIAL, Buffer.from(credential)]]);
const authenticate = (user: string, token: Buffer) => adminFrame(AdminCommand.AUTHENTICATE, [[AdminField.USER, Buffer.from(user)], [AdminField.SESSION_TOKEN, token]]);
const put = msgFrame({ info2: Info2.WRITE, fields: keyFields('test', 'demo', 'k'), ops: [{ type: OpType.WRITE, particle: ParticleType.INTEGER, name: 'n', value: intValue(1) }] });
const get = msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('test', 'demo', 'k') });

/** An admin reply: its result code and fields by id. */
async function adminReply(c: WireClient): Promise<{ resultCode: number; fields: Map<number, Buffer> }> {
  const f = await c.next();
  assert.equal(f.type, MessageType.ADMIN);
  const fields = new Map<number, Buffer>();
  let at = 16;
  for (let i = 0; i < f.body[3]!; i++) {
    const size = f.body.readUInt32BE(at);
    fields.set(f.body[at + 4]!, f.body.subarray(at + 5, at + 4 + size));
    at += 4 + size;
  }
  return { resultCode: f.body[1]!, fields };
}

test('the credential is bcrypt with the clients\' fixed salt (the value every Aerospike client computes for "admin")', () => {
  assert.equal(credentialOf('admin'), '$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa');
});

test('before login, data and info messages are refused with NOT_AUTHENTICATED and nothing is written', async (t) => {
  const { port, engine } = await startService(t, {}, undefined, undefined, { users: [{ name: 'ada', password: PASSWORD }] });
  const c = await WireClient.connect(t, port);
  assert.equal((await c.request(put)).msg!.resultCode, ResultCode.NOT_AUTHENTICATED);
  assert.match(infoText(await c.request(infoFrame(['namespaces']))), /^ERROR:80:not authenticated/);
  assert.equal(await engine.get({ ns: 'test', set: 'demo', key: 'k' }), null, 'the refused put wrote nothing');
});

test('a login with the right credential answers a session token and TTL, and the connection is served', async (t) => {
  const { port } = await startService(t, {}, undefined, undefined, { users: [{ name: 'ada', password: PASSWORD }], sessionTtlSec: 600 });
  const c = await WireClient.connect(t, port);
  c.send(login('ada', CREDENTIAL));
  const reply = await adminReply(c);
  assert.equal(reply.resultCode, ResultCode.OK);
  assert.equal(reply.fields.get(AdminField.SESSION_TTL)!.readUInt32BE(0), 600);
  const token = reply.fields.get(AdminField.SESSION_TOKEN)!;
  assert.equal((await c.request(put)).msg!.resultCode, ResultCode.OK);
  assert.match(infoText(await c.request(infoFrame(['namespaces']))), /^namespaces\ttest\n$/);

  // Another connection presents the session instead of the password.
  const c2 = await WireClient.connect(t, port);
  c2.send(authenticate('ada', token));
  assert.equal((await adminReply(c2)).resultCode, ResultCode.OK);
  assert.deepEqual((await c2.request(get)).msg!.bins, { n: 1 });
  // A token is bound to its user and cannot be altered.
  const c3 = await WireClient.connect(t, port);
  const forged = Buffer.from(token);
  forged[0] = forged[0]! ^ 1;
  c3.send(authenticate('ada', forged));
  assert.equal((await adminReply(c3)).resultCode, ResultCode.EXPIRED_SESSION);
  assert.equal((await c3.request(get)).msg!.resultCode, ResultCode.NOT_AUTHENTICATED);
});

test('a wrong password, an unknown user, a missing field each answer their code and leave the connection unauthenticated', async (t) => {
  const { port, service } = await startService(t, {}, undefined, undefined, { users: [{ name: 'ada', credential: CREDENTIAL }] });
  const c = await WireClient.connect(t, port);
  c.send(login('ada', credentialOf('wrong')));
  assert.equal((await adminReply(c)).resultCode, ResultCode.INVALID_CREDENTIAL);
  c.send(login('bob', CREDENTIAL));
  assert.equal((await adminReply(c)).resultCode, ResultCode.INVALID_USER);
  c.send(adminFrame(AdminCommand.LOGIN, [[AdminField.USER, Buffer.from('ada')]]));
  assert.equal((await adminReply(c)).resultCode, ResultCode.INVALID_FIELD);
  c.send(adminFrame(AdminCommand.CREATE_USER, [[AdminField.USER, Buffer.from('eve')]]));
  assert.equal((await adminReply(c)).resultCode, ResultCode.NOT_AUTHENTICATED);
  // A malformed admin message is answered (the framing holds) and the connection goes on.
  c.send(frameOf(MessageType.ADMIN, Buffer.from('00000102', 'hex')));
  assert.equal((await adminReply(c)).resultCode, ResultCode.PARAMETER);
  assert.equal(decodeReply(await (c.send(get), c.next())).msg!.resultCode, ResultCode.NOT_AUTHENTICATED);
  // Logged in, user management is not served: users live in the config file.
  c.send(login('ada', CREDENTIAL));
  assert.equal((await adminReply(c)).resultCode, ResultCode.OK);
  c.send(adminFrame(AdminCommand.CREATE_USER, [[AdminField.USER, Buffer.from('eve')]]));
  assert.equal((await adminReply(c)).resultCode, ResultCode.UNSUPPORTED_FEATURE);
  const results = service.stats.snapshot();
  assert.ok(JSON.stringify(results).includes('INVALID_CREDENTIAL'), 'refused logins are counted by result code');
});

test('without users, a login is answered "security not enabled" (clients take it as success) and nothing needs one', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  c.send(login('ada', CREDENTIAL));
  assert.equal((await adminReply(c)).resultCode, ResultCode.SECURITY_NOT_ENABLED);
  assert.equal((await c.request(put)).msg!.resultCode, ResultCode.OK);
});

test('sessions expire after their TTL', () => {
  let now = 1_000_000;
  const s = new ServiceSecurity({ users: [{ name: 'ada', credential: CREDENTIAL }], sessionTtlSec: 120, nowMs: () => now });
  const r = s.login(Buffer.from('ada'), Buffer.from(CREDENTIAL));
  assert.ok('token' in r);
  assert.equal(s.authenticate(Buffer.from('ada'), r.token), ResultCode.OK);
  assert.equal(s.authenticate(Buffer.from('bob'), r.token), ResultCode.EXPIRED_SESSION, 'another user cannot use it');
  now += 120_000;
  assert.equal(s.authenticate(Buffer.from('ada'), r.token), ResultCode.EXPIRED_SESSION);
  assert.equal(new ServiceSecurity({ users: [{ name: 'ada', credential: CREDENTIAL }], sessionTtlSec: 120, nowMs: () => 0 }).authenticate(Buffer.from('ada'), r.token), ResultCode.EXPIRED_SESSION, 'another process never accepts it');
});

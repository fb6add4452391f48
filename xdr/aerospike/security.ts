/**
 * Who may use the service port when the config lists users: Aerospike
 * Enterprise's login, as its clients speak it. A client logs in once per node
 * with its user and credential (the password's bcrypt hash with the clients'
 * fixed salt) and gets a session token; every other connection it opens
 * presents user + token. The token is an HMAC of the user and its expiry
 * under a key drawn at start, so sessions cost no memory and none outlives
 * the process: after a restart a client's AUTHENTICATE fails with
 * EXPIRED_SESSION and its tend thread logs in again (what the C and Java
 * clients do on any authentication failure).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { ADMIN_PASSWORD_SALT, ResultCode } from '../../aerospike-protocol/index.js';

export interface ServiceUser {
  name: string;
  /** The password in clear (hashed at start), or */
  password?: string;
  /** the credential clients send for it: bcrypt(password, Aerospike's fixed salt), `$2a$10$7EqJtq98hPqEX7fNZaFWoO...`. */
  credential?: string;
}

export interface SecurityOptions {
  users: readonly ServiceUser[];
  /** Lifetime of a session token, seconds (clients log in again 60 s before). */
  sessionTtlSec: number;
  /** @default Date.now */
  nowMs?: () => number;
}

export type LoginResult = { resultCode: 0; token: Buffer; ttlSec: number } | { resultCode: number };

/** Bytes of a session token: 8 (expiry, ms since the epoch) + 32 (HMAC-SHA256). */
const TOKEN_BYTES = 40;

/** The credential an Aerospike client sends for `password`. */
export function credentialOf(password: string): string {
  return bcrypt.hashSync(password, ADMIN_PASSWORD_SALT);
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class ServiceSecurity {
  private readonly credentials = new Map<string, Buffer>();
  private readonly key = randomBytes(32);
  /**
   * The password each user last proved over HTTP Basic, as an HMAC under
   * `key`: a request with the same password costs one HMAC instead of a
   * bcrypt (about 70 ms of CPU). One entry per configured user at most.
   */
  private readonly verified = new Map<string, Buffer>();
  private readonly nowMs: () => number;

  constructor(private readonly o: SecurityOptions) {
    for (const u of o.users) this.credentials.set(u.name, Buffer.from(u.credential ?? credentialOf(u.password ?? '')));
    this.nowMs = o.nowMs ?? Date.now;
  }

  get userCount(): number {
    return this.credentials.size;
  }

  /** LOGIN: INVALID_USER for a user not configured, INVALID_CREDENTIAL for a wrong password, else a session token. */
  login(user: Buffer | undefined, credential: Buffer | undefined): LoginResult {
    if (user === undefined || credential === undefined) return { resultCode: ResultCode.INVALID_FIELD };
    const name = user.toString('utf8');
    const expected = this.credentials.get(name);
    if (expected === undefined) return { resultCode: ResultCode.INVALID_USER };
    if (!sameBytes(expected, credential)) return { resultCode: ResultCode.INVALID_CREDENTIAL };
    return { resultCode: ResultCode.OK, token: this.issue(name), ttlSec: this.o.sessionTtlSec };
  }

  /** AUTHENTICATE: 0 when `token` is a live token of `user`; EXPIRED_SESSION otherwise (the client logs in again). */
  authenticate(user: Buffer | undefined, token: Buffer | undefined): number {
    if (user === undefined || token === undefined) return ResultCode.INVALID_FIELD;
    const name = user.toString('utf8');
    if (!this.credentials.has(name) || token.length !== TOKEN_BYTES) return ResultCode.EXPIRED_SESSION;
    const expiresMs = Number(token.readBigUInt64BE(0));
    if (!sameBytes(this.mac(name, token.subarray(0, 8)), token.subarray(8))) return ResultCode.EXPIRED_SESSION;
    return expiresMs > this.nowMs() ? ResultCode.OK : ResultCode.EXPIRED_SESSION;
  }

  /** True when `password` is the user's (HTTP Basic). A wrong password costs a bcrypt hash, run asynchronously. */
  async verifyPassword(name: string, password: string): Promise<boolean> {
    const expected = this.credentials.get(name);
    if (expected === undefined) return false;
    const proof = createHmac('sha256', this.key).update(name, 'utf8').update('\0').update(password, 'utf8').digest();
    const known = this.verified.get(name);
    if (known !== undefined && sameBytes(known, proof)) return true;
    const credential = Buffer.from(await bcrypt.hash(password, ADMIN_PASSWORD_SALT));
    if (!sameBytes(expected, credential)) return false;
    this.verified.set(name, proof);
    return true;
  }

  /** A session token for a user who proved their password another way (HTTP login): the same token LOGIN gives. */
  issueSession(name: string): { token: Buffer; ttlSec: number } {
    if (!this.credentials.has(name)) throw new Error(`issueSession for a user not configured: ${name}`);
    return { token: this.issue(name), ttlSec: this.o.sessionTtlSec };
  }

  /** True when `token` is a live session token of `name` (either port's login issued it). */
  sessionValid(name: string, token: Buffer): boolean {
    return this.authenticate(Buffer.from(name, 'utf8'), token) === ResultCode.OK;
  }

  private issue(name: string): Buffer {
    const expiry = Buffer.alloc(8);
    expiry.writeBigUInt64BE(BigInt(this.nowMs() + this.o.sessionTtlSec * 1000));
    return Buffer.concat([expiry, this.mac(name, expiry)]);
  }

  private mac(name: string, expiry: Buffer): Buffer {
    return createHmac('sha256', this.key).update(expiry).update(name, 'utf8').digest();
  }
}

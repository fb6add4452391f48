/**
 * Who may use the HTTP API: one set of credentials for the whole gateway.
 * - `auth-token` (machines: peer gateways, scripts): `Authorization: Bearer <auth-token>`.
 * - `service.users` (people and applications, the same users the service
 *   port's login knows): `Authorization: Basic base64(user:password)`, or
 *   `Authorization: Bearer <session>` with a session from POST /v1/login,
 *   which is the same token a client's login on the service port gets.
 * When either is configured, every request but the open paths needs one of
 * them; with neither, the API is open (as before).
 */
import { timingSafeEqual } from 'node:crypto';

/** What HTTP needs of the gateway's users (xdr/aerospike's ServiceSecurity). */
export interface HttpUsers {
  verifyPassword(user: string, password: string): Promise<boolean>;
  sessionValid(user: string, token: Buffer): boolean;
  issueSession(user: string): { token: Buffer; ttlSec: number };
}

export interface HttpAuthOptions {
  token?: string;
  users?: HttpUsers;
}

/** A session as HTTP carries it: base64url(user) "." base64url(token). */
export function encodeSession(user: string, token: Buffer): string {
  return `${Buffer.from(user, 'utf8').toString('base64url')}.${token.toString('base64url')}`;
}

function decodeSession(text: string): { user: string; token: Buffer } | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  return { user: Buffer.from(text.slice(0, dot), 'base64url').toString('utf8'), token: Buffer.from(text.slice(dot + 1), 'base64url') };
}

/** user and password of a Basic header, or undefined. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const text = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class HttpAuth {
  constructor(private readonly o: HttpAuthOptions) {}

  /** Whether requests must authenticate at all. */
  get required(): boolean {
    return this.o.token !== undefined || this.o.users !== undefined;
  }

  /** The WWW-Authenticate challenge of a 401. */
  get challenge(): string {
    return this.o.users === undefined ? 'Bearer' : 'Basic realm="xdrgate", Bearer';
  }

  /** How to authenticate, for the 401's message. */
  get howTo(): string {
    const ways = [...(this.o.token !== undefined ? ['Authorization: Bearer <auth-token>'] : []), ...(this.o.users !== undefined ? ['Authorization: Basic <user:password> of a service.users user', 'Authorization: Bearer <session from POST /v1/login>'] : [])];
    return `send ${ways.join(', or ')}`;
  }

  /** True or false at once for bearer credentials; a promise for Basic (a password check may hash). */
  check(header: string | undefined): boolean | Promise<boolean> {
    if (header === undefined) return false;
    if (header.startsWith('Bearer ')) {
      const given = header.slice(7);
      if (this.o.token !== undefined && sameText(given, this.o.token)) return true;
      const session = this.o.users === undefined ? undefined : decodeSession(given);
      return session !== undefined && this.o.users!.sessionValid(session.user, session.token);
    }
    const basic = this.o.users === undefined ? undefined : basicCredentials(header);
    return basic === undefined ? false : this.o.users!.verifyPassword(basic.user, basic.password);
  }
}

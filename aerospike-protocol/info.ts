/**
 * The info protocol (message type 1): a request is command names, one per
 * line; the reply repeats each name as sent, a tab, its value, a newline, in
 * request order. Commands take parameters after a colon (`sindex-create:ns=test;
 * indexname=i;...`) or are paths (`namespace/test`). Errors travel inside a
 * value as `FAIL:<code>:<message>`.
 */
import { PARTITIONS } from './constants.js';
import { ProtocolError } from './errors.js';

/** Most commands one info request may carry (the official clients send at most a handful). */
export const INFO_COMMANDS_MAX = 256;

/** The command names of a request body, in order; empty when the body asks for the default summary. */
export function parseInfoRequest(body: Uint8Array): string[] {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const names = text.split('\n').filter((line) => line.length > 0);
  if (names.length > INFO_COMMANDS_MAX) throw new ProtocolError('PROTO_ERR_LIMIT', `info request has ${names.length} commands; at most ${INFO_COMMANDS_MAX}`);
  return names;
}

/** `name\tvalue\n` for each pair. Tabs and newlines inside a value would break the reply's framing: they become spaces. */
export function buildInfoReply(pairs: ReadonlyArray<readonly [string, string]>): Buffer {
  let text = '';
  for (const [name, value] of pairs) text += `${name}\t${clean(value)}\n`;
  return Buffer.from(text, 'utf8');
}

function clean(value: string): string {
  return /[\t\n]/.test(value) ? value.replace(/[\t\n]/g, ' ') : value;
}

/** An error value the clients turn into result code `code`. */
export function infoFail(code: number, message: string): string {
  return `FAIL:${code}:${message.replace(/[:;\t\n]/g, ' ')}`;
}

export interface InfoCommand {
  /** The part before the first ':' (or the whole name). */
  command: string;
  /** `key=value` pairs after the ':', split on ';'. */
  params: Map<string, string>;
}

/** Splits `cmd:k1=v1;k2=v2` into its command and parameters (a parameter without '=' maps to ''). */
export function parseInfoCommand(name: string): InfoCommand {
  const colon = name.indexOf(':');
  const params = new Map<string, string>();
  if (colon < 0) return { command: name, params };
  for (const part of name.slice(colon + 1).split(';')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq < 0) params.set(part, '');
    else params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return { command: name.slice(0, colon), params };
}

/** `k1=v1;k2=v2` (values as given; numbers and booleans as text). */
export function infoKeyValues(entries: Iterable<readonly [string, string | number | boolean]>): string {
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(`${k}=${String(v)}`);
  return parts.join(';');
}

/** The 512-byte ownership bitmap of one replica level: bit `pid` set (most significant bit first in each byte). */
export function partitionBitmap(owned: (pid: number) => boolean): Uint8Array {
  const bitmap = new Uint8Array(PARTITIONS / 8);
  for (let pid = 0; pid < PARTITIONS; pid++) if (owned(pid)) bitmap[pid >> 3]! |= 0x80 >> (pid & 7);
  return bitmap;
}

export interface NamespaceReplicas {
  ns: string;
  /** 0 for AP namespaces; a strong-consistency namespace carries its regime. */
  regime: number;
  /** One bitmap per replica level (master first). */
  replicas: Uint8Array[];
}

/** The value of `replicas`: `<ns>:<regime>,<n>,<b64>[,<b64>...]` per namespace, joined by ';'. */
export function replicasValue(namespaces: readonly NamespaceReplicas[]): string {
  return namespaces
    .map((n) => `${n.ns}:${n.regime},${n.replicas.length},${n.replicas.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')).join(',')}`)
    .join(';');
}

export interface PeerNode {
  nodeId: string;
  tlsName?: string;
  /** `host` or `host:port` (the default port is written once for all peers). */
  hosts: string[];
}

/** The value of `peers-clear-std`: `<gen>,<default port>,[[<node>,<tls name>,[<host>,...]],...]`. */
export function peersValue(generation: number, defaultPort: number, peers: readonly PeerNode[]): string {
  const list = peers.map((p) => `[${p.nodeId},${p.tlsName ?? ''},[${p.hosts.join(',')}]]`).join(',');
  return `${generation},${defaultPort},[${list}]`;
}

/**
 * Loads a region's configuration: YAML → environment overrides → JSON-schema
 * validation (ajv, every error) → semantic checks and defaults → frozen
 * GatewayConfig. Any problem anywhere makes one ConfigError listing them all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { applyEnvOverrides } from './env.js';
import { ConfigError, invalidConfig, type ConfigProblem } from './errors.js';
import { configSchema } from './schema.js';
import { codecStatuses, type CodecStatus } from '../replication/index.js';
import { normalizeConfig } from './semantic.js';
import { locate, readNamespacesFrom } from './namespaces-from.js';
import type { GatewayConfig } from './types.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validateDoc = ajv.compile(configSchema);

/** `/namespaces/user_data/storage` → `namespaces.user_data.storage`; `/regions/0/name` → `regions[0].name`. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** One ajv error → one problem that names the path and says what to do. */
export function ajvErrorToProblem(e: ErrorObject): ConfigProblem | null {
  const at = pointerToPath(e.instancePath);
  const params = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return { path: join(at, params.missingProperty), message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: join(at, params.additionalProperty), message: `is not a known setting; remove it or use one of: ${allowed.join(', ')}` };
    }
    case 'enum':
      return { path: at, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { path: at, message: `must be of type ${[params.type].flat().join(' or ')}` };
    case 'propertyName':
      return null; // reported through the pattern error that follows it
    case 'pattern':
      if (e.propertyName !== undefined) return { path: join(at, e.propertyName), message: `name must match ${params.pattern}` };
      return { path: at, message: `must match ${params.pattern}` };
    case 'oneOf':
      return { path: at, message: at === 'listen' || at === 'service' ? 'must be "host:port" or { host, port, ... }' : 'does not match any accepted form' };
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}

function schemaProblems(doc: unknown): ConfigProblem[] {
  if (validateDoc(doc)) return [];
  const errors = validateDoc.errors ?? [];
  // A oneOf failure explains itself; its branches' errors only add noise.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const kept = errors.filter((e) => e.keyword === 'oneOf' || !oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)));
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const e of kept) {
    const p = ajvErrorToProblem(e);
    if (!p) continue;
    const id = `${p.path}\n${p.message}`;
    if (!seen.has(id)) problems.push(p);
    seen.add(id);
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface LoadOptions {
  /** Shown in messages and kept in config.origin. @default '<inline>' */
  file?: string;
  /** Environment to read overrides from. @default process.env */
  env?: Record<string, string | undefined>;
  /** The compression codecs that load in this process (routes from this region may only use those). @default probed: codecStatuses() */
  codecs?: readonly CodecStatus[];
}

/** Parses and validates configuration text. Throws ConfigError. */
export function parseConfig(text: string, options: LoadOptions = {}): GatewayConfig {
  const file = options.file ?? '<inline>';
  const parsed = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (parsed.errors.length > 0) {
    const problems = parsed.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? '?'}`, message: e.message.split('\n')[0]! }));
    throw new ConfigError('CONFIG_ERR_YAML_SYNTAX', `${file} is not valid YAML:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, { file, problems });
  }
  let raw: unknown;
  try {
    raw = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Aliases are resolved here, not while parsing: an unknown anchor or an alias bomb throws a plain Error (found by fuzzing).
    const message = (err as Error).message.split('\n')[0]!;
    throw new ConfigError('CONFIG_ERR_YAML_SYNTAX', `${file} is not valid YAML:\n  (aliases): ${message}`, { file, problems: [{ path: '(aliases)', message }] }, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidConfig(file, [{ path: '(root)', message: 'must be a mapping of settings (region, namespaces, regions, ...)' }]);
  const env = applyEnvOverrides(raw as Record<string, unknown>, options.env ?? process.env);
  const from = readNamespacesFrom(env.doc, file);
  const problems = [...env.problems, ...from.problems, ...locate(schemaProblems(from.doc), from.locations)];
  if (problems.length > 0) throw invalidConfig(file, problems);
  const { config, problems: semantic } = normalizeConfig(from.doc, file, env.applied, options.codecs ?? codecStatuses());
  if (semantic.length > 0) throw invalidConfig(file, locate(semantic, from.locations));
  if (from.origin) config.origin.aerospikeConf = from.origin;
  return deepFreeze(config);
}

/** Reads, parses and validates a configuration file. Throws ConfigError. */
export function loadConfig(file: string, options: Omit<LoadOptions, 'file'> = {}): GatewayConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigError('CONFIG_ERR_FILE_UNREADABLE', `cannot read configuration file ${abs}: ${(err as Error).message}; check the path given with --config`, { file: abs, problems: [] }, { cause: err });
  }
  return parseConfig(text, { ...options, file: abs });
}

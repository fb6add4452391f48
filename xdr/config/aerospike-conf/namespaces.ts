/**
 * The `namespace <name> { ... }` stanzas of a parsed aerospike.conf → the
 * YAML's `namespaces` documents (kebab-case keys, values as aerospike.conf
 * writes them: `4G`, `30D`), so the YAML's schema and semantic checks validate
 * them like any other namespace. Every YAML path made here remembers the
 * file:line:column it came from, so those checks' problems point into the
 * aerospike.conf. Settings without a meaning here are collected (each with
 * file:line and what to do instead), never silently dropped. Pure.
 */
import type { ConfigProblem } from '../errors.js';
import type { ConfItem, ConfSetting, ConfStanza } from './tree.js';
import { DEVICE_SETTINGS, MEMORY_SETTINGS, NAMESPACE_SETTINGS, OTHER_STANZAS, type SettingRule, type ValueKind } from './settings.js';

export interface ConfNamespaces {
  /** namespace name → its YAML document ({ 'memory-size': '8G', storage: { engine: 'device', ... } }). */
  namespaces: Record<string, Record<string, unknown>>;
  /** YAML path (`namespaces.users.storage.write-block-size`) → `file:line:column`. */
  locations: Map<string, string>;
  /** Top-level stanzas and settings that are not namespaces, each with where it is and where its job lives here. */
  notRead: string[];
  /** Settings with no meaning here: `path` is `file:line:column <setting>`. */
  problems: ConfigProblem[];
}

class Mapper {
  readonly out: ConfNamespaces = { namespaces: {}, locations: new Map(), notRead: [], problems: [] };
  constructor(readonly file: string) {}

  at(node: ConfItem): string {
    return `${this.file}:${node.line}:${node.column}`;
  }

  problem(node: ConfItem, what: string, message: string): void {
    this.out.problems.push({ path: `${this.at(node)} ${what}`, message });
  }

  /** Applies one setting by its rule into `target` (the namespace or its storage document) at YAML path `base`. */
  setting(s: ConfSetting, rules: Readonly<Record<string, SettingRule>>, target: Record<string, unknown>, base: string, context: string): void {
    const rule = Object.hasOwn(rules, s.name) ? rules[s.name]! : undefined;
    if (rule === undefined) {
      this.problem(s, s.name, `is not a setting of ${context} that xdrgate knows; remove it (docs/from-aerospike.md lists the settings read)`);
      return;
    }
    if ('unsupported' in rule) return this.problem(s, s.name, rule.unsupported);
    if ('accept' in rule) {
      const why = rule.accept(s.values);
      if (why !== null) this.problem(s, s.name, why);
      return;
    }
    if (s.values.length !== 1) return this.problem(s, s.name, `takes one value, got ${s.values.length}`);
    const path = `${base}.${rule.key}`;
    const value = valueOf(s.values[0]!, rule.value);
    if (rule.list) {
      const list = (target[rule.key] as unknown[] | undefined) ?? [];
      list.push(value);
      target[rule.key] = list;
      if (!this.out.locations.has(path)) this.out.locations.set(path, this.at(s));
      this.out.locations.set(`${path}[${list.length - 1}]`, this.at(s));
      return;
    }
    if (Object.hasOwn(target, rule.key)) return this.problem(s, s.name, 'is set twice in this stanza; keep one line');
    target[rule.key] = value;
    this.out.locations.set(path, this.at(s));
  }

  namespace(stanza: ConfStanza): void {
    if (stanza.args.length !== 1) return this.problem(stanza, 'namespace', 'write `namespace <name> {` with exactly one name');
    const name = stanza.args[0]!;
    const base = `namespaces.${name}`;
    if (Object.hasOwn(this.out.namespaces, name)) return this.problem(stanza, `namespace ${name}`, 'is defined twice; merge the two stanzas');
    const doc: Record<string, unknown> = {};
    this.out.namespaces[name] = doc;
    this.out.locations.set(base, this.at(stanza));
    for (const item of stanza.items) {
      if (item.name === 'storage-engine') this.storageEngine(item, doc, base);
      else if (item.kind === 'setting') this.setting(item, NAMESPACE_SETTINGS, doc, base, 'a namespace');
      else if (item.name === 'set') this.problem(item, `set ${item.args.join(' ')}`, 'set-level limits (set-stop-writes-count, disable-eviction, ...) are not supported; remove the set stanza');
      else this.problem(item, item.name, 'is not a stanza of a namespace that xdrgate knows; remove it');
    }
    // Aerospike's own default: a namespace without storage-engine keeps its data in memory.
    if (doc.storage === undefined) doc.storage = { engine: 'memory' };
  }

  storageEngine(item: ConfItem, doc: Record<string, unknown>, base: string): void {
    const kind = item.kind === 'setting' ? item.values : item.args;
    if (doc.storage !== undefined) return this.problem(item, 'storage-engine', 'is given twice; a namespace has one storage engine');
    if (kind.length !== 1 || (kind[0] !== 'device' && kind[0] !== 'memory')) {
      return this.problem(item, 'storage-engine', `'${kind.join(' ')}' is not a storage engine here; use device (data on files, index in RAM) or memory (all in RAM)`);
    }
    const storage: Record<string, unknown> = { engine: kind[0] };
    doc.storage = storage;
    this.out.locations.set(`${base}.storage`, this.at(item));
    if (item.kind === 'setting') return;
    const rules = kind[0] === 'device' ? DEVICE_SETTINGS : MEMORY_SETTINGS;
    for (const s of item.items) {
      if (s.kind === 'stanza') this.problem(s, s.name, `is not a stanza of storage-engine ${kind[0]}; remove it`);
      else this.setting(s, rules, storage, `${base}.storage`, `storage-engine ${kind[0]}`);
    }
  }
}

/** Numbers and booleans as YAML would read them; anything else stays text for the YAML checks to judge. */
function valueOf(text: string, kind: ValueKind): unknown {
  if (kind === 'bool') return text === 'true' ? true : text === 'false' ? false : text;
  if (kind === 'int') return /^\d{1,15}$/.test(text) ? Number(text) : text;
  if (kind === 'size' || kind === 'duration') return /^\d{1,15}$/.test(text) ? Number(text) : text;
  return text;
}

/** Maps the namespaces of a parsed aerospike.conf; `file` names it in locations and problems. */
export function mapConfNamespaces(root: ConfStanza, file = 'aerospike.conf'): ConfNamespaces {
  const m = new Mapper(file);
  for (const item of root.items) {
    if (item.kind === 'stanza' && item.name === 'namespace') m.namespace(item);
    else m.out.notRead.push(`${item.name} (${m.at(item)}): ${Object.hasOwn(OTHER_STANZAS, item.name) ? `not read here; its job lives in ${OTHER_STANZAS[item.name]}` : 'not read here'}`);
  }
  if (Object.keys(m.out.namespaces).length === 0 && m.out.problems.length === 0) {
    m.out.problems.push({ path: `${file}:1:1`, message: 'has no `namespace <name> { ... }` stanza; add one or list the namespaces in the YAML' });
  }
  return m.out;
}

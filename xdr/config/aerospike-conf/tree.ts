/**
 * aerospike.conf as text → a tree of stanzas and settings, every node with its
 * line and column. The format is line-oriented: `name args... {` opens a
 * stanza, `}` closes it, any other line is a setting `name value...`, and `#`
 * starts a comment. Values are never quoted. Pure: no I/O, no logging; the
 * first structural problem throws CONFIG_ERR_AEROSPIKE_CONF_SYNTAX naming
 * file:line:column.
 */
import { ConfigError } from '../errors.js';

export interface ConfSetting {
  kind: 'setting';
  name: string;
  values: string[];
  line: number;
  column: number;
}

export interface ConfStanza {
  kind: 'stanza';
  name: string;
  /** Words between the name and `{`: `namespace users {` → ['users']. */
  args: string[];
  items: ConfItem[];
  line: number;
  column: number;
}

export type ConfItem = ConfSetting | ConfStanza;

/** Limits that keep a hostile or mistaken file from costing more than a look. */
export const CONF_BYTES_MAX = 1024 * 1024;
export const CONF_DEPTH_MAX = 8;
export const CONF_WORDS_PER_LINE_MAX = 64;

interface Word {
  text: string;
  line: number;
  column: number;
}

function syntaxError(file: string, line: number, column: number, message: string): ConfigError {
  const where = `${file}:${line}:${column}`;
  return new ConfigError('CONFIG_ERR_AEROSPIKE_CONF_SYNTAX', `${where}: ${message}`, { file, problems: [{ path: where, message }] });
}

/** Splits one line (without its newline) into words, `{` and `}` standing alone; drops a `#` comment. */
function wordsOf(text: string, line: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#') break;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
      continue;
    }
    if (ch === '{' || ch === '}') {
      words.push({ text: ch, line, column: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && !' \t\r\f\v#{}'.includes(text[i]!)) i++;
    words.push({ text: text.slice(start, i), line, column: start + 1 });
  }
  return words;
}

/** Parses aerospike.conf text; `file` names it in errors. Throws ConfigError (CONFIG_ERR_AEROSPIKE_CONF_SYNTAX). */
export function parseAerospikeConf(text: string, file = 'aerospike.conf'): ConfStanza {
  if (text.length > CONF_BYTES_MAX) throw syntaxError(file, 1, 1, `the file is larger than ${CONF_BYTES_MAX} characters; keep only the namespace stanzas`);
  const root: ConfStanza = { kind: 'stanza', name: '(file)', args: [], items: [], line: 1, column: 1 };
  const open: ConfStanza[] = [root];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const words = wordsOf(lines[n]!, n + 1);
    if (words.length > CONF_WORDS_PER_LINE_MAX) throw syntaxError(file, n + 1, 1, `more than ${CONF_WORDS_PER_LINE_MAX} words on one line; write one setting a line`);
    let pending: Word[] = [];
    for (const w of words) {
      const current = open[open.length - 1]!;
      if (w.text === '{') {
        if (pending.length === 0) throw syntaxError(file, w.line, w.column, "'{' must follow a stanza's name on the same line (e.g. `namespace users {`)");
        if (open.length > CONF_DEPTH_MAX) throw syntaxError(file, w.line, w.column, `stanzas are nested deeper than ${CONF_DEPTH_MAX}; close the ones above`);
        const stanza: ConfStanza = { kind: 'stanza', name: pending[0]!.text, args: pending.slice(1).map((p) => p.text), items: [], line: pending[0]!.line, column: pending[0]!.column };
        current.items.push(stanza);
        open.push(stanza);
        pending = [];
      } else if (w.text === '}') {
        if (pending.length > 0) current.items.push(settingOf(pending));
        pending = [];
        if (open.length === 1) throw syntaxError(file, w.line, w.column, "'}' closes no stanza; remove it or add the stanza it was meant to close");
        open.pop();
      } else {
        pending.push(w);
      }
    }
    if (pending.length > 0) open[open.length - 1]!.items.push(settingOf(pending));
  }
  if (open.length > 1) {
    const s = open[open.length - 1]!;
    throw syntaxError(file, s.line, s.column, `stanza '${[s.name, ...s.args].join(' ')}' is never closed; add '}' after its last setting`);
  }
  return root;
}

function settingOf(words: Word[]): ConfSetting {
  return { kind: 'setting', name: words[0]!.text, values: words.slice(1).map((w) => w.text), line: words[0]!.line, column: words[0]!.column };
}

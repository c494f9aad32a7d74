import { McpformError } from '../../errors.js';
import { HIDDEN_CLASS } from '../../util/sanitize.js';
/**
 * A TOML text as a list of line-level statements with their byte ranges: table headers,
 * key/value pairs, comments and blank lines. It only finds where things are; the text has
 * already been validated by a TOML 1.0 parser (smol-toml), so the scanner never judges it.
 */
export interface TomlStatement {
  readonly kind: 'table' | 'array' | 'keyval' | 'comment' | 'blank';
  /** Full key path: the header's key, or the current table's key plus the dotted key. */
  readonly path: readonly string[];
  /** A key/value pair's own (dotted) key, as relative to its table. */
  readonly key: readonly string[];
  /** Start of the statement's first line. */
  readonly start: number;
  /** Where the key starts (after indentation). */
  readonly keyStart: number;
  /** End of the value (before any trailing comment), for key/value pairs. */
  readonly valueEnd: number;
  /** After the statement's last newline (or the end of the text). */
  readonly end: number;
}

export function scanToml(text: string): TomlStatement[] {
  const out: TomlStatement[] = [];
  let table: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    i = skipSpaces(text, i);
    const c = text[i];
    const keyStart = i;
    if (c === undefined || c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      i = lineEnd(text, i);
      out.push({ kind: 'blank', path: table, key: [], start, keyStart, valueEnd: i, end: i });
      continue;
    }
    if (c === '#') {
      i = lineEnd(text, i);
      out.push({ kind: 'comment', path: table, key: [], start, keyStart, valueEnd: i, end: i });
      continue;
    }
    if (c === '[') {
      const array = text[i + 1] === '[';
      const { key, next } = readKey(text, i + (array ? 2 : 1));
      table = key;
      i = lineEnd(text, next);
      out.push({ kind: array ? 'array' : 'table', path: key, key, start, keyStart, valueEnd: i, end: i });
      continue;
    }
    const { key, next } = readKey(text, i);
    i = skipSpaces(text, next) + 1; // '='
    i = skipValue(text, skipSpaces(text, i));
    const end = lineEnd(text, i);
    const hash = text.indexOf('#', i);
    let valueEnd = hash !== -1 && hash < end ? hash : end;
    while (valueEnd > i && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
    out.push({ kind: 'keyval', path: [...table, ...key], key, start, keyStart, valueEnd, end });
    i = end;
  }
  return out;
}

function skipSpaces(t: string, i: number): number {
  while (t[i] === ' ' || t[i] === '\t') i++;
  return i;
}

/** After the next newline, or the end of the text. */
function lineEnd(t: string, i: number): number {
  const n = t.indexOf('\n', i);
  return n === -1 ? t.length : n + 1;
}

/** A dotted key (`a."b.c".'d'`), with its segments unquoted. */
export function readKey(t: string, i: number): { key: string[]; next: number } {
  const key: string[] = [];
  for (;;) {
    i = skipSpaces(t, i);
    if (t[i] === '"') {
      const end = skipBasic(t, i + 1);
      key.push(unescapeBasic(t.slice(i + 1, end - 1)));
      i = end;
    } else if (t[i] === "'") {
      const end = t.indexOf("'", i + 1);
      key.push(t.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(t.slice(i, i + 1024))!;
      key.push(m[0]);
      i += m[0].length;
    }
    i = skipSpaces(t, i);
    if (t[i] !== '.') return { key, next: i };
    i++;
  }
}

/** After the value starting at `i`: strings, arrays and inline tables may span lines. */
function skipValue(t: string, i: number): number {
  if (t.startsWith('"""', i)) return skipMultiline(t, i + 3, '"""', true);
  if (t.startsWith("'''", i)) return skipMultiline(t, i + 3, "'''", false);
  if (t[i] === '"') return skipBasic(t, i + 1);
  if (t[i] === "'") return t.indexOf("'", i + 1) + 1;
  if (t[i] === '[' || t[i] === '{') {
    let depth = 0;
    while (i < t.length) {
      const c = t[i]!;
      if (c === '[' || c === '{') {
        depth++;
        i++;
      } else if (c === ']' || c === '}') {
        i++;
        if (--depth === 0) return i;
      } else if (c === '"' || c === "'") i = skipValue(t, i);
      else if (c === '#') i = lineEnd(t, i);
      else i++;
    }
    return i;
  }
  // Numbers, booleans, dates (a date may hold one space: the line's end is found later).
  while (i < t.length && !/[\s#]/.test(t[i]!)) i++;
  return i;
}

/** After the closing quote of a basic string whose body starts at `i`. */
function skipBasic(t: string, i: number): number {
  while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipMultiline(t: string, i: number, close: string, escapes: boolean): number {
  while (i < t.length) {
    if (escapes && t[i] === '\\') i += 2;
    else if (t.startsWith(close, i)) {
      i += 3;
      // Up to two quotes may sit right before the closing delimiter.
      for (let k = 0; k < 2 && t[i] === close[0]; k++) i++;
      return i;
    } else i++;
  }
  return i;
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };

function unescapeBasic(s: string): string {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e: string) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e),
  );
}

/** A key segment as TOML writes it: bare when it can be, else a basic string. */
export function formatKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : formatString(k);
}

const TO_ESCAPE = new RegExp(`[\\\\"]|${HIDDEN_CLASS}`, 'gu');

/**
 * A basic string: what TOML requires escaped (`"`, `\\`, controls, DEL), and every other
 * character a reader cannot see (C1 controls, bidi, zero-width, tag characters), so that
 * nothing in the file hides from a review. A lone surrogate no TOML file can hold: refused.
 */
export function formatString(s: string): string {
  return `"${s.replace(TO_ESCAPE, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    const named = { '\b': 'b', '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r' }[c];
    if (named) return `\\${named}`;
    const code = c.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      throw new McpformError(
        'UNSUPPORTED_BY_CLIENT',
        `a value holds a lone surrogate (U+${code.toString(16).toUpperCase()}), which no TOML file can hold; nothing was written`,
      );
    return code < 0x10000
      ? `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`
      : `\\U${code.toString(16).padStart(8, '0').toUpperCase()}`;
  })}"`;
}

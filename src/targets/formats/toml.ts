import { createRequire } from 'node:module';
import type * as SmolToml from 'smol-toml';
import { McpformError } from '../../errors.js';
import { sameJson as deepEqual } from '../../util/equal.js';
import { formatKey, formatString, scanToml, type TomlStatement } from './toml-scan.js';

/**
 * TOML files edited by text-range splices: parse with smol-toml (TOML 1.0), find where a
 * table lives with the scanner, replace only the lines that change, and prove the result
 * with smol-toml again. Comments and every other table keep their exact bytes. No client
 * knowledge here: callers name a table by its key path (`['mcp_servers', 'github']`).
 */

export type TomlTable = Record<string, unknown>;

/** smol-toml is loaded on the first TOML file, not with every command that bundles this module. */
let smol: typeof SmolToml | undefined;
function toml(): typeof SmolToml {
  return (smol ??= createRequire(import.meta.url)('smol-toml') as typeof SmolToml);
}
const parse = (text: string, opts: { integersAsBigInt: 'asNeeded' }) => toml().parse(text, opts);

/** The parsed document; a syntax error is INVALID_LIVE_CONFIG at file:line:col. */
export function parseToml(text: string, file: string): TomlTable {
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' }) as TomlTable;
  } catch (err) {
    if (!(err instanceof toml().TomlError)) throw err;
    const why = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${file}:${err.line}:${err.column} is not valid TOML (${why}); mcpform will not overwrite it`,
      { hint: 'fix the file by hand (or restore it with `mcpform rollback`), then run again' },
    );
  }
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * The text with the table at `path` set to `value`. An existing `[path]` table is edited key
 * by key (unchanged keys, their comments and sub-tables untouched); a new one is written as
 * `[path]` with map values as `[path.KEY]` sub-tables, after the last table of its parent.
 */
export function setTomlTable(text: string, path: readonly string[], value: TomlTable, file = 'TOML'): string {
  const before = parseToml(text, file);
  const old = getIn(before, path);
  if (old !== undefined && deepEqual(old, value)) return text;
  const stmts = scanToml(text);
  refuseInline(stmts, path, file);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const splices: Splice[] = [];
  const main = headerBlocks(stmts).find((b) => b.header.kind === 'table' && same(b.header.path, path));
  const outside = stmts.filter((s) => s.kind === 'keyval' && startsWith(s.path, path) && !inBlocks(s, path, stmts));
  if (main && outside.length === 0 && isTable(old)) {
    editTable(text, stmts, path, old, value, splices, eol);
  } else {
    splices.push(...removals(stmts, path));
    splices.push(appendTable(text, stmts, path, value, eol));
  }
  return verify(applySplices(text, splices), before, path, value, file);
}

/** The text without the table at `path` (its sub-tables and dotted keys too). */
export function deleteTomlTable(text: string, path: readonly string[], file = 'TOML'): string {
  const before = parseToml(text, file);
  if (getIn(before, path) === undefined) return text;
  const stmts = scanToml(text);
  refuseInline(stmts, path, file);
  return verify(applySplices(text, removals(stmts, path)), before, path, undefined, file);
}

/** `mcp_servers = { x = {...} }` or `[mcp_servers]` `x = {...}` cannot be split line by line. */
function refuseInline(stmts: TomlStatement[], path: readonly string[], file: string): void {
  const inline = stmts.find((s) => s.kind === 'keyval' && s.path.length < path.length && startsWith(path, s.path));
  if (inline) {
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${file}: '${inline.path.join('.')}' is an inline table; mcpform edits '[${path.slice(0, -1).join('.')}.NAME]' tables only and will not rewrite it`,
      { hint: `write each server as its own [${path.slice(0, -1).join('.')}.NAME] table` },
    );
  }
}

interface Block {
  header: TomlStatement;
  /** The header line up to the leading comments of the next header. */
  start: number;
  end: number;
  body: TomlStatement[];
}

/** Each header with its body; comment lines right above a header belong to that header. */
function headerBlocks(stmts: TomlStatement[]): Block[] {
  const blocks: Block[] = [];
  for (let k = 0; k < stmts.length; k++) {
    const h = stmts[k]!;
    if (h.kind !== 'table' && h.kind !== 'array') continue;
    let n = k + 1;
    while (n < stmts.length && stmts[n]!.kind !== 'table' && stmts[n]!.kind !== 'array') n++;
    let last = n;
    while (n < stmts.length && last > k + 1 && stmts[last - 1]!.kind === 'comment') last--;
    const body = stmts.slice(k + 1, last);
    blocks.push({ header: h, start: h.start, end: body.length ? body[body.length - 1]!.end : h.end, body });
  }
  return blocks;
}

function inBlocks(s: TomlStatement, path: readonly string[], stmts: TomlStatement[]): boolean {
  return headerBlocks(stmts).some((b) => startsWith(b.header.path, path) && b.body.includes(s));
}

/** Removes every header block under `path` (leading comments stay) and every dotted key into it. */
function removals(stmts: TomlStatement[], path: readonly string[]): Splice[] {
  const out: Splice[] = [];
  for (const b of headerBlocks(stmts)) {
    if (startsWith(b.header.path, path)) out.push({ start: b.start, end: b.end, text: '' });
  }
  for (const s of stmts) {
    if (s.kind !== 'keyval' || !startsWith(s.path, path)) continue;
    if (out.some((r) => r.start <= s.start && s.end <= r.end)) continue;
    out.push({ start: s.start, end: s.end, text: '' });
  }
  return out;
}

/** A new `[path]` table after the last table of its parent (or at the end of the file). */
function appendTable(
  text: string,
  stmts: TomlStatement[],
  path: readonly string[],
  value: TomlTable,
  eol: string,
): Splice {
  const parent = path.slice(0, -1);
  const siblings = headerBlocks(stmts).filter(
    (b) => parent.length > 0 && startsWith(b.header.path, parent) && !startsWith(b.header.path, path),
  );
  const at = siblings.length ? siblings[siblings.length - 1]!.end : text.length;
  const head = text.slice(0, at);
  const lead =
    head === ''
      ? ''
      : head.endsWith(`${eol}${eol}`) || head.endsWith('\n\n')
        ? ''
        : head.endsWith('\n')
          ? eol
          : eol + eol;
  const tail = at < text.length ? eol : '';
  return { start: at, end: at, text: lead + renderTable(path, value, eol) + tail };
}

/** `[path]` with scalars and lists as `key = value`, then maps as `[path.key]` sub-tables. */
export function renderTable(path: readonly string[], value: TomlTable, eol = '\n'): string {
  const lines = [`[${path.map(formatKey).join('.')}]`];
  const subs: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isTable(v)) subs.push(eol + renderTable([...path, k], v, eol).trimEnd());
    else lines.push(`${formatKey(k)} = ${formatValue(v)}`);
  }
  return lines.join(eol) + eol + subs.map((s) => s + eol).join('');
}

/**
 * Key-by-key edit of the existing `[path]` table: equal keys are not touched; a changed
 * scalar is replaced in place (its trailing comment kept); a changed map held in its own
 * `[path.key]` table is edited the same way, recursively.
 */
function editTable(
  text: string,
  stmts: TomlStatement[],
  path: readonly string[],
  old: TomlTable,
  value: TomlTable,
  splices: Splice[],
  eol: string,
): void {
  const blocks = headerBlocks(stmts);
  const main = blocks.find((b) => b.header.kind === 'table' && same(b.header.path, path))!;
  const own = blocks.filter((b) => startsWith(b.header.path, path));
  const keyvals = main.body.filter((s) => s.kind === 'keyval');
  let insertAt = keyvals.length ? keyvals[keyvals.length - 1]!.end : main.header.end;
  const indent = keyvals.length ? text.slice(keyvals[0]!.start, keyvals[0]!.keyStart) : '';
  const newSubs: string[] = [];
  for (const k of unionKeys(old, value)) {
    // Own keys only: a server key named `constructor` must not read Object's.
    const was = Object.hasOwn(old, k) ? old[k] : undefined;
    const now = Object.hasOwn(value, k) ? value[k] : undefined;
    if (was !== undefined && now !== undefined && deepEqual(was, now)) continue;
    const defs = keyvals.filter((s) => s.key[0] === k);
    const subs = own.filter((b) => b.header.path.length > path.length && b.header.path[path.length] === k);
    const sub = subs.length === 1 && subs[0]!.header.kind === 'table' && same(subs[0]!.header.path, [...path, k]);
    if (sub && defs.length === 0 && isTable(was) && isTable(now)) {
      const inner = stmts.filter((s) => s.kind === 'keyval' && subs[0]!.body.includes(s));
      if (inner.every((s) => s.key.length === 1)) {
        editTable(text, stmts, [...path, k], was, now, splices, eol);
        continue;
      }
    }
    if (now !== undefined && defs.length === 1 && subs.length === 0 && defs[0]!.key.length === 1) {
      const d = defs[0]!;
      splices.push({ start: d.keyStart, end: d.valueEnd, text: `${formatKey(k)} = ${formatValue(now)}` });
      continue;
    }
    for (const d of defs) splices.push({ start: d.start, end: d.end, text: '' });
    for (const b of subs) splices.push({ start: b.start, end: b.end, text: '' });
    if (now === undefined) continue;
    if (isTable(now) && (subs.length > 0 || defs.length === 0)) {
      newSubs.push(renderTable([...path, k], now, eol));
    } else {
      splices.push({ start: insertAt, end: insertAt, text: `${indent}${formatKey(k)} = ${formatValue(now)}${eol}` });
    }
  }
  if (newSubs.length) {
    const last = own.reduce((a, b) => (b.end > a.end ? b : a), main);
    insertAt = last.end;
    const head = text.slice(0, insertAt);
    const lead = head.endsWith('\n\n') ? '' : eol;
    const tail = insertAt < text.length && !text.slice(insertAt).startsWith(eol) ? eol : '';
    splices.push({ start: insertAt, end: insertAt, text: lead + newSubs.join(eol) + tail });
  }
}

/** An inline TOML value: strings, numbers, booleans, lists, `{ k = v }` tables. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return formatString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isTable(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${formatKey(k)} = ${formatValue(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  throw new Error(`cannot write ${typeof v} as a TOML value`);
}

function applySplices(text: string, splices: Splice[]): string {
  const sorted = splices.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue; // inside a range already removed
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * The edit must change exactly the one table: everything else parses to the same values.
 * Anything else is a bug in mcpform, and nothing is written.
 */
function verify(next: string, before: TomlTable, path: readonly string[], value: unknown, file: string): string {
  const after = parseTomlForVerify(next, file);
  const ok = deepEqual(getIn(after, path), value) && deepEqual(withoutIn(after, path), withoutIn(before, path));
  if (!ok)
    throw new Error(`editing ${file} at ${path.join('.')} would change more than that table; nothing was written`);
  return next;
}

function parseTomlForVerify(text: string, file: string): TomlTable {
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' }) as TomlTable;
  } catch (err) {
    throw new Error(
      `editing ${file} produced invalid TOML (${(err as Error).message.split('\n')[0]}); nothing was written`,
      { cause: err },
    );
  }
}

function getIn(doc: TomlTable, path: readonly string[]): unknown {
  let v: unknown = doc;
  for (const k of path) {
    if (!isTable(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/**
 * A copy of the tables along `path` without its last key; a parent left empty is dropped
 * too (a first server creates `mcp_servers`, the last one's removal may take it away).
 */
function withoutIn(doc: TomlTable, path: readonly string[]): TomlTable {
  const copy: TomlTable = { ...doc };
  const [k, ...rest] = path;
  if (!Object.hasOwn(copy, k!)) return copy;
  if (rest.length === 0) delete copy[k!];
  else if (isTable(copy[k!])) {
    copy[k!] = withoutIn(copy[k!] as TomlTable, rest);
    if (Object.keys(copy[k!] as TomlTable).length === 0) delete copy[k!];
  }
  return copy;
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function startsWith(p: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= p.length && prefix.every((k, i) => p[i] === k);
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

function unionKeys(a: TomlTable, b: TomlTable): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

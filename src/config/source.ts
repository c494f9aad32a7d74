import { isUtf8 } from 'node:buffer';
import {
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { McpformError, type Problem, type SourceLocation } from '../errors.js';
import { yamlHint } from './yaml-hints.js';
import type { GitFileRef } from './git/reader.js';
import { readRegularFile } from '../util/fs.js';

/** A parsed YAML file that can point back at the line and column of any value in it. */
export interface SourceFile {
  /** As printed in messages (relative to the cwd when inside it). */
  readonly path: string;
  readonly absPath: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Set for a file read from a git import (then absPath is an id, not a path on disk). */
  readonly git?: GitFileRef;
}

export type PathSegment = string | number;

/** A definition and the file it came from, so every later message can point at it. */
export interface Located<T> {
  value: T;
  source: SourceFile;
  path: PathSegment[];
}

// A CLI config file is small; anything this big is a mistake (or an attack) and would only
// make the parser spin.
const MAX_BYTES = 1024 * 1024;

export function readSource(path: string, displayPath: string): { source?: SourceFile; problems: Problem[] } {
  const read = readRegularFile(path, MAX_BYTES);
  if (!read.ok) {
    if (read.reason === 'too-big')
      return {
        problems: [
          {
            message: `${displayPath} is over 1 MiB; mcp.yaml files (and imports) over 1 MiB are refused (is this the right file?)`,
            location: { file: displayPath, line: 1, col: 1 },
          },
        ],
      };
    const why =
      read.reason === 'missing'
        ? 'does not exist'
        : read.reason === 'directory'
          ? 'is a directory, not a YAML file'
          : read.reason === 'not-a-file'
            ? `is ${read.kind}, not a regular file; mcpform reads only regular files`
            : read.code === 'EACCES'
              ? 'is not readable (permission denied)'
              : `cannot be read (${read.code ?? 'unknown error'})`;
    return { problems: [{ message: `${displayPath} ${why}` }] };
  }
  const bad = invalidUtf8At(read.data);
  if (bad !== undefined) {
    return {
      problems: [
        {
          message: `${displayPath} is not valid UTF-8 (byte 0x${read.data[bad]!.toString(16).padStart(2, '0')}); save it as UTF-8`,
          location: { file: displayPath, ...lineColOf(read.data, bad) },
        },
      ],
    };
  }
  return parseSource(read.data.toString('utf8'), displayPath, path);
}

/** The offset of the first byte that is not valid UTF-8, or undefined if all of it is. */
function invalidUtf8At(b: Buffer): number | undefined {
  if (isUtf8(b)) return undefined;
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return 0;
}

function lineColOf(b: Buffer, offset: number): { line: number; col: number } {
  const before = b.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
}

export function parseSource(
  text: string,
  displayPath: string,
  absPath = displayPath,
): { source?: SourceFile; problems: Problem[] } {
  const lines = new LineCounter();
  // uniqueKeys: a duplicated server name is almost always a copy-paste mistake.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    strict: true,
  });
  const problems: Problem[] = [];
  const textLines = doc.errors.length ? text.split(/\r?\n/) : [];
  const said = new Set<string>();
  const hints = doc.errors.map((e) => {
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : posOf(lines, e.pos[0]);
    return { e, line, col, hint: yamlHint(e, textLines, { line, col }) };
  });
  const quote = hints.some((h) => h.hint?.kind === 'quote');
  for (const { e, line, col, hint } of hints) {
    if (quote && hint?.kind === 'bracket') continue;
    const problem = hint
      ? { message: hint.message, location: { file: displayPath, line: hint.line, col: hint.col } }
      : { message: cleanYamlMessage(e.message), location: { file: displayPath, line, col } };
    // One mistake often trips two parser errors: say it once.
    const key = `${problem.location.line}:${problem.message}`;
    if (said.has(key)) continue;
    said.add(key);
    problems.push(problem);
  }
  if (problems.length === 0) problems.push(...strictNodes(doc, text, lines, displayPath));
  return { source: problems.length ? undefined : { path: displayPath, absPath, text, doc, lines }, problems };
}

// The core schema's own tags. Anything else (`!foo`, `!!binary`, `!!set`, `!!timestamp`,
// `!!js/function`) would silently become a string, a Buffer, a Set or a Date.
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** Refuses what YAML allows but mcp.yaml has no use for: other tags, keys that are not strings. */
function strictNodes(doc: Document.Parsed, text: string, lines: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (node: Node | null | undefined, fallback: number) => {
    const [line, col] = posOf(lines, node?.range?.[0] ?? fallback);
    return { file, line, col };
  };
  visit(doc, {
    Node(_, node) {
      if (node.tag && !PLAIN_TAGS.has(node.tag))
        problems.push({
          message: `YAML tag '${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')}' is not supported; remove it (values are plain strings, numbers, booleans, lists and maps)`,
          location: at({ range: [tagStart(text, node.range?.[0] ?? 0), 0, 0] } as Node, 0),
        });
    },
    Pair(_, pair, path) {
      const key = pair.key;
      if (isScalar(key) && key.value === '__proto__') {
        // Converted to JS, it would set the map's prototype instead of a key: refused anywhere.
        problems.push({ message: "'__proto__' is a reserved word and cannot be used as a key", location: at(key, 0) });
        return;
      }
      if (isScalar(key) && typeof key.value === 'string') return;
      const parent = path[path.length - 1] as Node | undefined;
      const what = isCollection(key)
        ? 'a list or map'
        : isScalar(key)
          ? key.value === null
            ? 'empty (null)'
            : `the ${typeof key.value} ${String(key.value)}`
          : 'missing';
      const fix = isScalar(key) && key.value !== null ? `; quote it: '${String(key.source ?? key.value)}'` : '';
      problems.push({
        message: `map keys must be strings, and this one is ${what}${fix}`,
        location: at(isScalar(key) || isCollection(key) ? key : (pair.value as Node | null), parent?.range?.[0] ?? 0),
      });
    },
  });
  return problems;
}

/** Where the tag written before a node starts (the node's own range begins after it). */
function tagStart(text: string, nodeStart: number): number {
  let i = text.lastIndexOf('!', nodeStart);
  if (i < 0 || !/^!\S*\s*$/.test(text.slice(i, nodeStart))) return nodeStart;
  while (i > 0 && text[i - 1] === '!') i--;
  return i;
}

function posOf(lines: LineCounter, offset: number): [number, number] {
  const p = lines.linePos(offset);
  return [p.line, p.col];
}

function cleanYamlMessage(msg: string): string {
  // yaml appends "at line X, column Y:" plus a code excerpt; we print our own location.
  return msg
    .split(/ at line \d+, column \d+/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Converts the document to plain JS. Aliases are expanded with a budget so that a
 * "billion laughs" document fails fast instead of eating memory.
 */
export function toPlain(source: SourceFile): { value?: unknown; problems: Problem[] } {
  try {
    return { value: source.doc.toJS({ maxAliasCount: 100 }), problems: [] };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      problems: [
        {
          message: `cannot read the document: ${msg} (YAML aliases are limited to 100 expansions)`,
          location: { file: source.path, line: 1, col: 1 },
        },
      ],
    };
  }
}

/**
 * Where a value lives. With `key`, the location of the key itself (for "unknown key"
 * messages). Falls back to the nearest ancestor that exists.
 */
export function locate(source: SourceFile, path: readonly PathSegment[], key = false): SourceLocation {
  let node: unknown = source.doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyString(p.key) === String(seg));
      if (!pair) break;
      if (last && key && isNode(pair.key)) {
        best = pair.key;
        break;
      }
      node = pair.value;
      best = isNode(node) ? node : isNode(pair.key) ? pair.key : best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!isNode(node)) break;
      best = node;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  const p = source.lines.linePos(offset);
  return { file: source.path, line: p.line, col: p.col };
}

function keyString(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'range' in v;
}

export function configError(source: SourceFile, path: readonly PathSegment[], message: string, key = false): Problem {
  return { message, location: locate(source, path, key) };
}

/** For messages that must not mention a value: where a source is, for errors outside a file. */
export function fileProblem(file: string, message: string): McpformError {
  return new McpformError('INVALID_CONFIG', message, { problems: [{ message, location: { file, line: 1, col: 1 } }] });
}

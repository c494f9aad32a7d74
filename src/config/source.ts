import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { McpformError, type Problem, type SourceLocation } from '../errors.js';
import type { GitFileRef } from './git/reader.js';

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
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { problems: [{ message: `${displayPath} is a directory, not a YAML file` }] };
    if (st.size > MAX_BYTES) {
      return {
        problems: [
          {
            message: `${displayPath} is ${st.size} bytes; mcp.yaml files over 1 MiB are refused (is this the right file?)`,
            location: { file: displayPath, line: 1, col: 1 },
          },
        ],
      };
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable (permission denied)'
          : `cannot be read (${code ?? String(err)})`;
    return { problems: [{ message: `${displayPath} ${why}` }] };
  }
  return parseSource(text, displayPath, path);
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
  for (const e of doc.errors) {
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : posOf(lines, e.pos[0]);
    problems.push({ message: cleanYamlMessage(e.message), location: { file: displayPath, line, col } });
  }
  return { source: problems.length ? undefined : { path: displayPath, absPath, text, doc, lines }, problems };
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

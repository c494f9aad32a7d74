import * as jsonc from 'jsonc-parser';
import type { Edit, FormattingOptions, Node, ParseError } from 'jsonc-parser';
import { McpformError } from '../../errors.js';
import { detectIndent } from '../json-file.js';
import { sameJson as deepEqual } from '../../util/equal.js';
import { getIn, isPlain, type DocPath } from './path.js';
import { escapeHiddenInJson } from '../../util/sanitize.js';

/**
 * JSON and JSONC files edited in place with jsonc-parser (`modify` + `applyEdits`): only the
 * bytes of the value that changes are rewritten, in the file's own style (indent, line
 * endings); comments, blank lines, big numbers, duplicate keys and every other value keep
 * their bytes. `strict`: the client reads plain JSON (Claude Code wipes a file with a comment),
 * so a comment or trailing comma is an error, never something mcpform writes around.
 * No client knowledge here: callers name a value by its key path.
 */

const BOM = '\uFEFF';
const HINT = 'fix the file by hand (or restore it with `mcpform rollback`), then run again';

/** The document as plain values (`undefined` for an empty file); a syntax error is located. */
export function parseJsonc(text: string, file: string, strict = false): unknown {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') return undefined;
  const errors: ParseError[] = [];
  const value: unknown = jsonc.parse(body, errors, {
    allowTrailingComma: !strict,
    disallowComments: strict,
    allowEmptyContent: false,
  });
  const err = errors[0];
  if (err) {
    const { line, col } = position(body, err.offset);
    const code = jsonc.printParseErrorCode(err.error);
    const why =
      code === 'InvalidCommentToken'
        ? 'comments are not allowed: this client reads strict JSON'
        : strict && (code === 'PropertyNameExpected' || code === 'ValueExpected') && trailingComma(body, err.offset)
          ? 'trailing comma: this client reads strict JSON'
          : words(code);
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${file}:${line}:${col} is not valid ${strict ? 'JSON' : 'JSON/JSONC'} (${why}); mcpform will not overwrite it`,
      { hint: HINT },
    );
  }
  return value;
}

/**
 * The text with the value at `path` set to `value`. An object that exists is edited key by
 * key (recursively), so unchanged keys and the comments between them keep their bytes; a new
 * key is inserted after its siblings, formatted like the file.
 */
export function setJsoncIn(text: string, path: DocPath, value: unknown, file: string, strict = false): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  let body = bom ? text.slice(1) : text;
  const empty = body.trim() === '';
  const before = parseJsonc(body, file, strict);
  if (empty) body = '{}';
  else if (!isPlain(before)) {
    throw new McpformError('INVALID_LIVE_CONFIG', `${file} must hold a JSON object; mcpform will not overwrite it`);
  }
  const style = styleOf(empty ? '' : body);
  // A missing parent chain is one new key on the deepest map that exists, so it is inserted
  // like any new key (jsonc-parser would re-format the line it starts on).
  let at = path.length;
  while (at > 1 && getIn(before, path.slice(0, at - 1)) === undefined) at--;
  const nested = path.slice(at).reduceRight<unknown>((v, k) => ({ [k]: v }), value);
  body = setDiff(body, path.slice(0, at), getIn(before, path.slice(0, at)), nested, style);
  if (empty) body += style.eol;
  return bom + body;
}

/** The text without the value at `path`; a property on its own lines goes with its lines. */
export function deleteJsoncIn(text: string, path: DocPath, file: string, strict = false): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = bom ? text.slice(1) : text;
  if (getIn(parseJsonc(body, file, strict), path) === undefined) return text;
  return bom + jsonc.applyEdits(body, removal(body, path));
}

function setDiff(text: string, path: DocPath, old: unknown, value: unknown, style: FormattingOptions): string {
  if (old !== undefined && deepEqual(old, value)) return text;
  if (isPlain(old) && isPlain(value) && Object.keys(old).length > 0) {
    let out = text;
    for (const k of Object.keys(old)) {
      if (!Object.hasOwn(value, k)) out = jsonc.applyEdits(out, removal(out, [...path, k]));
    }
    for (const [k, v] of Object.entries(value)) out = setDiff(out, [...path, k], old[k], v, style);
    return out;
  }
  const edits =
    insertion(text, path, value, style) ??
    inline(text, path, value) ??
    jsonc.modify(text, [...path], value, { formattingOptions: style });
  // What a reader of the file cannot see (bidi, zero-width, tag characters, C1) is written as
  // `\uXXXX`: the same value for every JSON parser, and nothing hidden in a review of the file.
  return jsonc.applyEdits(
    text,
    edits.map((e) => ({ ...e, content: escapeHiddenInJson(e.content) })),
  );
}

/**
 * A new key in an object whose last property has its line to itself, written by hand:
 * jsonc-parser would re-format that last property and move its `// comment` after the new
 * one. Here the comma goes right after the last value, the new property on a line of its own
 * after the comment, indented like its siblings; `undefined` when that shape does not hold.
 */
function insertion(text: string, path: DocPath, value: unknown, style: FormattingOptions): Edit[] | undefined {
  const key = path[path.length - 1];
  const root = jsonc.parseTree(text);
  const parent = root && jsonc.findNodeAtLocation(root, [...path.slice(0, -1)]);
  if (typeof key !== 'string' || parent?.type !== 'object' || !parent.children?.length) return undefined;
  if (jsonc.findNodeAtLocation(root!, [...path])) return undefined;
  const last = parent.children[parent.children.length - 1]!;
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = text.slice(lineStart, last.offset);
  const end = lineEnd(text, last.offset + last.length);
  if (!/^[ \t]+$/.test(indent) || end === undefined || end.next === text.length) return undefined;
  const eol = text.slice(0, end.next).endsWith('\r\n') ? '\r\n' : '\n';
  const unit = style.insertSpaces ? ' '.repeat(style.tabSize!) : '\t';
  const json = JSON.stringify(value, null, unit)
    .split('\n')
    .join(eol + indent);
  const edits: Edit[] = [
    { offset: end.next - eol.length, length: 0, content: `${eol}${indent}${JSON.stringify(key)}: ${json}` },
  ];
  if (!end.comma) edits.unshift({ offset: last.offset + last.length, length: 0, content: ',' });
  return edits;
}

/**
 * A value inside something written on one line (`"args": ["a"]`, `{"command": "x"}`) stays on
 * one line: jsonc-parser's formatter would spread it over several.
 */
function inline(text: string, path: DocPath, value: unknown): Edit[] | undefined {
  const root = jsonc.parseTree(text);
  const node = root && jsonc.findNodeAtLocation(root, [...path]);
  const parent = root && jsonc.findNodeAtLocation(root, [...path.slice(0, -1)]);
  const span = node ?? parent;
  if (!span || text.slice(span.offset, span.offset + span.length).includes('\n')) return undefined;
  if (node) return [{ offset: node.offset, length: node.length, content: oneLine(value) }];
  // A new key in a one-line map with others: after the last of them. (An empty map `{}` is
  // left to the formatter: a first entry is written out on its own lines.)
  const last = parent?.type === 'object' ? parent.children?.[parent.children.length - 1] : undefined;
  if (!last || typeof path[path.length - 1] !== 'string') return undefined;
  const content = `, ${JSON.stringify(path[path.length - 1])}: ${oneLine(value)}`;
  return [{ offset: last.offset + last.length, length: 0, content }];
}

/** `{ "command": "x", "args": ["a", "b"] }`: JSON on one line, spaced as people write it. */
function oneLine(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(oneLine).join(', ')}]`;
  if (isPlain(v)) {
    const kv = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${oneLine(x)}`);
    return kv.length ? `{ ${kv.join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

/**
 * jsonc-parser removes a property from the end of the previous value to the end of its own,
 * which takes the comma and `// comment` after the previous property with it and glues this
 * property's trailing comment onto the previous line. A property that has its lines to itself
 * is removed line by line instead (its own trailing comment with it; the previous property's
 * comma dropped when it was the last one); anything else is left to jsonc-parser.
 */
function removal(text: string, path: DocPath): Edit[] {
  const root = jsonc.parseTree(text);
  const node = root && jsonc.findNodeAtLocation(root, [...path]);
  const prop = node?.parent;
  const obj = prop?.parent;
  // Removals are never formatted: jsonc-parser would re-indent the whole parent object.
  if (!node || prop?.type !== 'property' || obj?.type !== 'object') return jsonc.modify(text, [...path], undefined, {});
  if (obj.children!.length === 1) return [{ offset: obj.offset, length: obj.length, content: '{}' }];
  const lineStart = text.lastIndexOf('\n', prop.offset - 1) + 1;
  const end = lineEnd(text, prop.offset + prop.length);
  if (!/^[ \t]*$/.test(text.slice(lineStart, prop.offset)) || end === undefined) {
    return jsonc.modify(text, [...path], undefined, {});
  }
  const edits: Edit[] = [{ offset: lineStart, length: end.next - lineStart, content: '' }];
  const index = obj.children!.indexOf(prop);
  if (!end.comma && index === obj.children!.length - 1) {
    const prev = obj.children![index - 1]!;
    const comma = commaBetween(text, prev, prop.offset);
    if (comma !== undefined) edits.push({ offset: comma, length: 1, content: '' });
  }
  return edits;
}

/** After a property: `,`? then a comment? then the end of the line — or `undefined`. */
function lineEnd(text: string, from: number): { next: number; comma: boolean } | undefined {
  const m = /^[ \t]*(,?)[ \t]*(\/\/[^\r\n]*|\/\*(?:(?!\*\/)[^\r\n])*\*\/)?[ \t]*(\r?\n|$)/.exec(text.slice(from));
  if (!m) return undefined;
  return { next: from + m[0].length, comma: m[1] === ',' };
}

function commaBetween(text: string, prev: Node, until: number): number | undefined {
  const start = prev.offset + prev.length;
  const scanner = jsonc.createScanner(text.slice(start, until), false);
  // SyntaxKind is a const enum (not importable as a value here): 17 is EOF, 5 a comma.
  for (let k: number = scanner.scan(); k !== 17; k = scanner.scan()) {
    if (k === 5) return start + scanner.getTokenOffset();
  }
  return undefined;
}

/** The file's own indent and line ending (2 spaces and LF for a new file). */
export function styleOf(text: string): FormattingOptions & { eol: string } {
  const indent = text ? detectIndent(text) : 2;
  return {
    insertSpaces: indent !== '\t',
    tabSize: typeof indent === 'number' ? indent : 1,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function trailingComma(text: string, offset: number): boolean {
  return /,\s*(?:\/\/[^\n]*\s*|\/\*[\s\S]*?\*\/\s*)*$/.test(text.slice(0, offset));
}

/** `PropertyNameExpected` -> `property name expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

import { isMap, parseDocument, type Document, type ToStringOptions } from 'yaml';
import { keepUntouchedLines } from './keep-lines.js';
import { McpformError } from '../../errors.js';
import { sameJson as deepEqual } from '../../util/equal.js';
import { isPlain } from './path.js';
import { yaml11SafeTags } from './yaml-string.js';

/**
 * YAML files edited through the `yaml` Document API, which keeps comments, anchors and
 * the order of everything it is not asked to change. Edits go key by key: a value equal
 * to what the file holds is not touched, so its comments and quoting stay as they are.
 * No client knowledge here: callers name a node by its path (`['extensions', 'github']`,
 * `['mcpServers', 2]`).
 */

export type YamlPath = readonly (string | number)[];

export interface YamlFile {
  readonly doc: Document.Parsed;
  /** The document as plain values (`undefined` for an empty file). */
  readonly value: unknown;
}

/** The parsed document; a syntax error is INVALID_LIVE_CONFIG at file:line:col. */
export function parseYaml(text: string, file: string): YamlFile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, customTags: yaml11SafeTags });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const why = err.message.split(' at line ')[0]!.split('\n')[0];
    throw new McpformError(
      'INVALID_LIVE_CONFIG',
      `${file}:${pos?.line ?? 1}:${pos?.col ?? 1} is not valid YAML (${why}); mcpform will not overwrite it`,
      { hint: 'fix the file by hand (or restore it with `mcpform rollback`), then run again' },
    );
  }
  return { doc, value: doc.toJS({ maxAliasCount: 1000 }) ?? undefined };
}

/** The text with the node at `path` set to `value`, changing only the keys that differ. */
export function setYamlIn(text: string, path: YamlPath, value: unknown, file = 'YAML'): string {
  const { doc, value: before } = parseYaml(text, file);
  const old = getIn(before, path);
  if (old !== undefined && deepEqual(old, value)) return text;
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  else if (!isMap(doc.contents)) {
    throw new McpformError('INVALID_LIVE_CONFIG', `${file} must hold a YAML mapping; mcpform will not overwrite it`);
  }
  setDiff(doc, path, old, value);
  return verify(doc, text, before, path, value, file);
}

/** The text without the node at `path` (a list item is removed from its list). */
export function deleteYamlIn(text: string, path: YamlPath, file = 'YAML'): string {
  const { doc, value: before } = parseYaml(text, file);
  if (getIn(before, path) === undefined) return text;
  doc.deleteIn(path);
  return verify(doc, text, before, path, undefined, file);
}

function setDiff(doc: Document, path: YamlPath, old: unknown, value: unknown): void {
  if (isPlain(old) && isPlain(value) && isMap(doc.getIn(path, true))) {
    for (const k of Object.keys(old)) if (!Object.hasOwn(value, k)) doc.deleteIn([...path, k]);
    for (const [k, v] of Object.entries(value)) {
      const was = Object.hasOwn(old, k) ? old[k] : undefined;
      if (was === undefined || !deepEqual(was, v)) setDiff(doc, [...path, k], was, v);
    }
    return;
  }
  doc.setIn(path, doc.createNode(value));
}

/** Everything but the one node must read back the same; anything else is a bug, and nothing is written. */
function verify(doc: Document, text: string, before: unknown, path: YamlPath, value: unknown, file: string): string {
  const next = keepUntouchedLines(text, doc.toString(styleOf(text)));
  let after: unknown;
  try {
    after = parseYaml(next, file).value;
  } catch (err) {
    throw new Error(`editing ${file} produced invalid YAML (${(err as Error).message}); nothing was written`, {
      cause: err,
    });
  }
  const expected = withoutIn(before ?? {}, path);
  const ok =
    value === undefined
      ? deepEqual(withoutIn(after ?? {}, path, false), expected)
      : deepEqual(getIn(after, path), value) && deepEqual(withoutIn(after ?? {}, path), expected);
  if (!ok)
    throw new Error(`editing ${file} at ${path.join('.')} would change more than that entry; nothing was written`);
  return next;
}

/**
 * Keep the file's own list style: serde_yaml (Goose) writes `key:\n- item` with the dash at
 * the key's indentation; the yaml library indents it by default.
 */
function styleOf(text: string): ToStringOptions {
  const flush = /^( *)[^\s#-][^\n]*:\r?\n\1- /m.test(text);
  const indented = /^( *)[^\s#-][^\n]*:\r?\n\1 +- /m.test(text);
  // Flow lists/maps as the file writes them (`[a, b]` or `[ a, b ]`); the yaml library pads by default.
  // One setting covers both kinds, so a file mixing the two styles is kept by its first one.
  const flow = /[[{]( ?)[^\s\]}]/.exec(text.replace(/#[^\n]*/g, ''));
  return { lineWidth: 0, indentSeq: !(flush && !indented), flowCollectionPadding: flow ? flow[1] === ' ' : true };
}

function getIn(v: unknown, path: YamlPath): unknown {
  for (const k of path) {
    if (Array.isArray(v) && typeof k === 'number') v = v[k];
    else if (isPlain(v) && typeof k === 'string' && Object.hasOwn(v, k)) v = v[k];
    else return undefined;
  }
  return v;
}

/**
 * A copy without the node at `path` (a list item is cut out of its list; with `cut` false,
 * the node stays); a parent left empty is dropped too, as a first entry may create it and
 * the last one's removal may leave it empty.
 */
function withoutIn(v: unknown, path: YamlPath, cut = true): unknown {
  const [k, ...rest] = path;
  if (Array.isArray(v) && typeof k === 'number') {
    const copy = [...v];
    if (rest.length === 0) {
      if (cut) copy.splice(k, 1);
    } else if (k < copy.length) copy[k] = withoutIn(copy[k], rest, cut);
    return copy;
  }
  if (!isPlain(v) || typeof k !== 'string' || !Object.hasOwn(v, k)) return v;
  const copy: Record<string, unknown> = { ...v };
  if (rest.length === 0) {
    if (cut) delete copy[k];
  } else {
    copy[k] = withoutIn(copy[k], rest, cut);
    const c = copy[k];
    if ((isPlain(c) && Object.keys(c).length === 0) || (Array.isArray(c) && c.length === 0)) delete copy[k];
  }
  return copy;
}

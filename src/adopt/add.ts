import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { McpformError } from '../errors.js';
import { nameProblem } from '../config/names.js';
import { shellCommand } from '../util/shell-quote.js';

export interface NewServer {
  name: string;
  definition: Record<string, unknown>;
}

interface Edit {
  at: number;
  end?: number;
  text: string;
}

/**
 * mcp.yaml with one more server. The new text is inserted into the user's bytes (the server
 * under `servers:`, its name in the environment's list), so everything else — comments, flow
 * lists as written (`[memory, github]`), quotes, blank lines, CRLF — stays byte for byte.
 * Layouts too odd to edit that way go through the yaml Document API instead; both ways give
 * the same data, which is checked. Pure: text in, text out.
 *
 * Environments: the server goes into `environment` (-e), else `defaultEnvironment`, else
 * `default` — the one plan and test use. `default` needs no list when environments does not
 * define it: it is every server under `servers:`.
 */
export function addServer(
  text: string,
  server: NewServer,
  opts: { environment?: string; force?: boolean; file?: string } = {},
): { text: string; environment?: string } {
  const why = nameProblem(server.name);
  if (why) throw new McpformError('USAGE', `server ${why}`);
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new McpformError(
      'INVALID_CONFIG',
      `mcp.yaml does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it first ('mcpform validate')`,
    );
  const exists = doc.hasIn(['servers', server.name]);
  if (exists && !opts.force) {
    throw new McpformError('USAGE', `server '${server.name}' already exists in mcp.yaml`, {
      hint: 'choose another name with --name, or replace it with --force',
    });
  }
  const environment = chooseEnvironment(doc, text, opts.environment, opts.file ?? 'mcp.yaml');
  const listed = environment !== undefined && isMap(doc.getIn(['environments', environment], true));

  const expected = viaDocument(text, server, listed ? environment : undefined);
  let out: string | undefined;
  if (!exists) {
    const edits = [serverEdit(doc, text, server), ...(listed ? [listEdit(doc, text, environment!, server.name)] : [])];
    if (edits.every((e): e is Edit => e !== undefined)) {
      out = applyEdits(text, edits);
      const check = parseDocument(out);
      if (check.errors.length || !isDeepStrictEqual(check.toJS(), parseDocument(expected).toJS())) out = undefined;
    }
  }
  return { text: out ?? expected, environment };
}

/**
 * -e, else defaultEnvironment, else `default`; an environment the file does not define is an
 * error — located at `defaultEnvironment` when that is where the name came from.
 */
function chooseEnvironment(
  doc: Document,
  text: string,
  requested: string | undefined,
  file: string,
): string | undefined {
  const envs = doc.get('environments', true);
  const names = isMap(envs) ? envs.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : [];
  const fromFile = doc.get('defaultEnvironment', true);
  const fileName = isScalar(fromFile) && typeof fromFile.value === 'string' ? fromFile.value : undefined;
  const name = requested ?? fileName ?? 'default';
  if (name === 'default' || names.includes(name)) return name;
  const message = names.length
    ? `unknown environment '${name}'; mcp.yaml defines: default (every server), ${names.join(', ')}`
    : `unknown environment '${name}'; mcp.yaml has no 'environments', so the only one is 'default'`;
  if (requested === undefined && isScalar(fromFile) && fromFile.range) {
    const before = text.slice(0, fromFile.range[0]);
    const line = before.split('\n').length;
    const col = fromFile.range[0] - before.lastIndexOf('\n');
    throw new McpformError('UNKNOWN_ENVIRONMENT', message, {
      problems: [{ message: `defaultEnvironment: ${message}`, location: { file, line, col } }],
      hint: names.length
        ? `fix defaultEnvironment in mcp.yaml, or pick one with -e, e.g. '${shellCommand(['mcpform', '-e', names[0]!])} add ...'`
        : "remove defaultEnvironment, or declare that environment under 'environments'",
    });
  }
  throw new McpformError('UNKNOWN_ENVIRONMENT', message, {
    hint: names.length
      ? `pick one with -e, e.g. '${shellCommand(['mcpform', '-e', names[0]!])} add ...'`
      : 'leave out -e',
  });
}

/** The plain Document API edit: always right, but it re-renders the whole file its own way. */
function viaDocument(text: string, server: NewServer, environment: string | undefined): string {
  const doc = parseDocument(text);
  const node = doc.createNode(server.definition);
  flowArgs(node);
  if (!isMap(doc.get('servers'))) doc.set('servers', doc.createNode({}));
  doc.setIn(['servers', server.name], node);
  if (environment) {
    const list = doc.getIn(['environments', environment, 'servers'], true);
    if (isSeq(list)) {
      if (!list.items.some((i) => String(isScalar(i) ? i.value : i) === server.name))
        list.add(doc.createNode(server.name));
    } else {
      const seq = new YAMLSeq();
      seq.flow = true;
      seq.add(doc.createNode(server.name));
      doc.setIn(['environments', environment, 'servers'], seq);
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: usesFlowPadding(text) });
}

function flowArgs(node: unknown): void {
  if (!isMap(node)) return;
  const args = node.get('args', true);
  if (isSeq(args)) args.flow = true;
}

/** `[ a, b ]` or `[a, b]`: new flow lists follow the file. */
function usesFlowPadding(text: string): boolean {
  const padded = (text.match(/\[ \S/g) ?? []).length;
  const tight = (text.match(/\[[^\s\]]/g) ?? []).length;
  return padded > tight;
}

/** Insert `name:` and its definition at the end of the `servers:` map. */
function serverEdit(doc: Document, text: string, server: NewServer): Edit | undefined {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'servers');
  if (!pair) {
    // No servers: yet; a new top-level key at the end.
    const lead = text === '' || text.endsWith('\n') ? '' : nl;
    return { at: text.length, text: `${lead}servers:${nl}${renderServer(server, 2, 2, text, nl)}` };
  }
  const map = pair.value;
  if (!isMap(map) || !isNodeWithRange(pair.key)) return undefined;
  if (map.flow) {
    if (map.items.length || !map.range) return undefined;
    // `servers: {}` becomes a block map; the space before `{` goes too.
    let start = map.range[0];
    while (start > 0 && text[start - 1] === ' ') start--;
    const keyCol = column(text, pair.key.range![0]);
    return {
      at: start,
      end: map.range[1],
      text: `${nl}${renderServer(server, keyCol + 2, 2, text, nl).replace(/\r?\n$/, '')}`,
    };
  }
  const first = map.items[0]!;
  const last = map.items[map.items.length - 1]!;
  if (!isNodeWithRange(first.key) || !isNodeWithRange(last.key)) return undefined;
  const col = column(text, first.key.range![0]);
  const unit = nestedIndent(text, first.value, col) ?? 2;
  const lastEnd = isNodeWithRange(last.value) ? last.value.range![1] : last.key.range![1];
  const at = afterItem(text, lastEnd, col);
  const lead = at === text.length && !text.endsWith('\n') ? nl : '';
  return { at, text: lead + renderServer(server, col, unit, text, nl) };
}

/** Add the name to `environments.<env>.servers`, keeping the list's own style. */
function listEdit(doc: Document, text: string, env: string, name: string): Edit | undefined {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const envNode = doc.getIn(['environments', env], true);
  if (!isMap(envNode)) return undefined;
  const list = envNode.get('servers', true);
  if (list === undefined) {
    if (envNode.flow) return undefined;
    const first = envNode.items[0];
    const last = envNode.items[envNode.items.length - 1];
    if (!first || !last || !isNodeWithRange(first.key) || !isNodeWithRange(last.key)) return undefined;
    const col = column(text, first.key.range![0]);
    const lastEnd = isNodeWithRange(last.value) ? last.value.range![1] : last.key.range![1];
    const at = afterItem(text, lastEnd, col);
    const lead = at === text.length && !text.endsWith('\n') ? nl : '';
    return { at, text: `${lead}${' '.repeat(col)}servers: [${scalarText(name)}]${nl}` };
  }
  if (!isSeq(list) || !list.range) return undefined;
  if (list.items.some((i) => isScalar(i) && i.value === name)) return { at: 0, text: '' };
  if (list.flow) {
    const last = list.items[list.items.length - 1];
    if (!last) return text[list.range[0]] === '[' ? { at: list.range[0] + 1, text: scalarText(name) } : undefined;
    if (!isNodeWithRange(last)) return undefined;
    return { at: last.range![1], text: `, ${scalarText(name)}` };
  }
  if (text[list.range[0]] !== '-') return undefined;
  const col = column(text, list.range[0]);
  const last = list.items[list.items.length - 1];
  if (!isNodeWithRange(last)) return undefined;
  const at = afterItem(text, last.range![1], col);
  const lead = at === text.length && !text.endsWith('\n') ? nl : '';
  return { at, text: `${lead}${' '.repeat(col)}- ${scalarText(name)}${nl}` };
}

/** The server as block YAML at `col`, nested by `unit`, args as a flow list. */
function renderServer(server: NewServer, col: number, unit: number, text: string, nl: string): string {
  const inner = new Document(server.definition);
  flowArgs(inner.contents);
  const body = inner.toString({ indent: unit, lineWidth: 0, flowCollectionPadding: usesFlowPadding(text) });
  const lines = [
    `${scalarText(server.name)}:`,
    ...body
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l ? ' '.repeat(unit) + l : l)),
  ];
  return lines.map((l) => (l ? ' '.repeat(col) + l : l)).join(nl) + nl;
}

/** A name as a plain scalar when that reads back as the same string, else double-quoted. */
function scalarText(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(name);
  return plain ? name : JSON.stringify(name);
}

/**
 * Where the next item goes: the start of the line after `end`, past comment lines indented
 * deeper than the item (they belong to it) but not past a blank line or the next key.
 */
function afterItem(text: string, end: number, col: number): number {
  let at = lineEnd(text, Math.max(0, end - 1));
  for (;;) {
    const next = lineEnd(text, at);
    const line = text.slice(at, next).replace(/\r?\n$/, '');
    const indent = line.length - line.trimStart().length;
    if (at < text.length && line.trimStart().startsWith('#') && indent > col) at = next;
    else return at;
  }
}

/** The index just after the newline ending the line that holds `pos` (or the end of text). */
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i === -1 ? text.length : i + 1;
}

function column(text: string, pos: number): number {
  return pos - (text.lastIndexOf('\n', pos - 1) + 1);
}

/** How much deeper than `col` the keys of a nested block map sit. */
function nestedIndent(text: string, value: unknown, col: number): number | undefined {
  if (!(value instanceof YAMLMap) || value.flow || !value.items.length) return undefined;
  const k = value.items[0]!.key;
  if (!isNodeWithRange(k)) return undefined;
  const d = column(text, k.range![0]) - col;
  return d > 0 ? d : undefined;
}

function isNodeWithRange(n: unknown): n is Node {
  return typeof n === 'object' && n !== null && Array.isArray((n as Node).range);
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.end ?? e.at);
  return out;
}

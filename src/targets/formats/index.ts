import { deleteJsoncIn, parseJsonc, setJsoncIn } from './jsonc.js';
import { getIn, type DocPath } from './path.js';
import { deleteTomlTable, parseToml, setTomlTable, type TomlTable } from './toml.js';
import { deleteYamlIn, parseYaml, setYamlIn } from './yaml.js';

export type FormatName = 'json' | 'jsonc' | 'toml' | 'yaml';

/**
 * The four operations a client adapter needs from its file format. Every editor keeps the
 * bytes it is not asked to change and proves its result by parsing it again; an existing
 * map set with `setIn` is edited key by key. Errors are INVALID_LIVE_CONFIG at file:line:col.
 */
export interface Format {
  readonly name: FormatName;
  /** The document as plain values; `undefined` for an empty file. */
  parse(text: string, file: string): unknown;
  getIn(doc: unknown, path: DocPath): unknown;
  setIn(text: string, path: DocPath, value: unknown, file: string): string;
  deleteIn(text: string, path: DocPath, file: string): string;
}

const FORMATS: Record<FormatName, Format> = {
  // json: a client that reads strict JSON; a comment or trailing comma is refused, never written.
  json: {
    name: 'json',
    parse: (t, f) => parseJsonc(t, f, true),
    getIn,
    setIn: (t, p, v, f) => setJsoncIn(t, p, v, f, true),
    deleteIn: (t, p, f) => deleteJsoncIn(t, p, f, true),
  },
  jsonc: { name: 'jsonc', parse: parseJsonc, getIn, setIn: setJsoncIn, deleteIn: deleteJsoncIn },
  // TOML edits whole tables (`[mcp_servers.NAME]`), which is what a server entry is.
  toml: {
    name: 'toml',
    parse: (t, f) => (t.trim() === '' ? undefined : parseToml(t, f)),
    getIn,
    setIn: (t, p, v, f) => setTomlTable(t, p.map(String), v as TomlTable, f),
    deleteIn: (t, p, f) => deleteTomlTable(t, p.map(String), f),
  },
  yaml: {
    name: 'yaml',
    parse: (t, f) => parseYaml(t, f).value,
    getIn,
    setIn: setYamlIn,
    deleteIn: deleteYamlIn,
  },
};

export function formatFor(name: FormatName): Format {
  return FORMATS[name];
}

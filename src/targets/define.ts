import type { DesiredServer, TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { formatFor, type FormatName } from './formats/index.js';
import { sameJson as deepEqual } from '../util/equal.js';
import { getIn, isPlain, setIn, type DocPath } from './formats/path.js';
import { withReferences } from './clients/render.js';
import { configFileOf, detectIndent, readConfigFile, type ConfigFile } from './json-file.js';
import { forPlatform, type WindowsStart } from './windows-start.js';
import type { ClientEntry, LiveConfig, Pins, RenderedEntry, ServerCwd, TargetAdapter } from './types.js';
import { requireHome, type World } from '../world.js';

/**
 * What a client's `resolvePath` and `serversPath` may know about the machine: the World's
 * env and platform (join paths with `pathsOf(ctx)`, the platform's rules, never the host's).
 */
export interface ResolveContext {
  readonly env: World['env'];
  readonly platform: NodeJS.Platform;
  /** The World's home; read only where a path needs it, so a client found by its variables needs none (NO_HOME). */
  readonly home: string;
  /** The folder of mcp.yaml, for project scopes (`.mcp.json`, `.vscode/mcp.json`). */
  readonly configDir?: string;
  /** The scope asked for, or the client's default (its first). */
  readonly scope: string;
}

export interface RenderOptions {
  /** `reference`: write `variableReference(NAME)` for a secret instead of its value. */
  readonly secrets: 'value' | 'reference';
  readonly scope: string;
}

/** One client, as data. See src/targets/clients/README.md. */
export interface ClientDefinition {
  /** The target name in mcp.yaml. */
  readonly name: string;
  /** `json`: strict JSON (a comment is an error); `jsonc`: comments and trailing commas allowed. */
  readonly format: FormatName;
  /** Accepted `scope` values; the first is the default. Default: `['user']`. */
  readonly scopes?: readonly string[];
  /**
   * Where the server map is in the document, e.g. `['mcpServers']`: by scope, and by the
   * document as read when the client has two layouts (opencode's `mcp` | `mcp.servers`).
   */
  serversPath(ctx: Pick<ResolveContext, 'scope' | 'configDir'>, document?: unknown): DocPath;
  /** The client's own file for this scope and OS (MCPFORM_<NAME>_CONFIG and `path` are handled for you). */
  resolvePath(ctx: ResolveContext): string;
  render(server: DesiredServer, pins: Pins, opts: RenderOptions): RenderedEntry;
  /** The entry as the client understands it (an absent `type` is `stdio`), so it compares equal. */
  normalize?(entry: ClientEntry): ClientEntry;
  /**
   * The entry in the common vocabulary `init --import`, `doctor` and `test --live` read:
   * Claude Desktop's (`command`, `args`, `env`, `cwd` | `url`, `headers`, `type: 'http'|'sse'`).
   * The inverse of `render` (opencode's `command` array, Goose's `cmd`/`envs`, Windsurf's
   * `serverUrl`, ...). Absent: the client's entries already are in that vocabulary.
   * `env`, when given, resolves what the client itself reads from its environment (Codex's
   * `env_http_headers` names) into values, for `test --live` and `doctor`; without it such
   * a value is the reference `${NAME}` (what `init --import` keeps).
   */
  toCanonical?(entry: ClientEntry, env?: NodeJS.ProcessEnv): ClientEntry;
  readonly launch: 'gui' | 'cli';
  /** Where it starts a stdio server without `cwd` (ServerCwd); say in a comment which source shows it. */
  readonly serverCwd: ServerCwd;
  /**
   * How it starts a stdio `command` on Windows (src/targets/windows-start.ts): `plain` (no
   * shell, no PATHEXT: mcpform writes `cmd /c npx ...`) or `resolving` (it finds `npx.cmd`
   * itself). Default `plain`, the form every client can start.
   */
  readonly windowsStart?: WindowsStart;
  /** Where the client itself expands `%NAME%` on Windows (src/targets/windows-vars.ts); absent: nowhere. */
  readonly percentVariables?: 'env';
  readonly variableReference?: (name: string) => string;
  readonly managedFields: readonly string[];
  readonly remote: 'native' | 'mcp-remote';
  /**
   * `name`: the servers are a LIST of entries, each naming itself in this field (Continue's
   * `mcpServers: [{ name, ... }]`), not a map. Entries are read and planned by that name
   * (without the field); writes keep the list's order and append new entries.
   */
  readonly listKey?: string;
  /** Top-level keys a new (or empty) file starts with (Continue's block file: name, version, schema). */
  readonly newFile?: Readonly<Record<string, unknown>>;
  /**
   * Scopes whose file other clients read too (the portable `.mcp.json`): targets on the same
   * server map there are planned together, one entry per server that every reader accepts
   * (src/targets/shared-file.ts). Two targets on one map elsewhere are refused.
   */
  readonly sharedScopes?: readonly string[];
  /** Why the client would skip this entry (Claude Code: a `type` it does not know), or undefined. */
  refuses?(entry: ClientEntry): string | undefined;
  /**
   * Entries the client provides itself, not servers started from its config (Goose's
   * `type: builtin` extensions): never listed as unmanaged, pruned or overwritten.
   */
  builtIn?(entry: Readonly<Record<string, unknown>>): boolean;
}

/** Each adapter's definition, for planning several clients on one shared file. */
const DEFINITIONS = new WeakMap<TargetAdapter, ClientDefinition>();

export function definitionOf(adapter: TargetAdapter): ClientDefinition {
  const def = DEFINITIONS.get(adapter);
  if (!def) throw new McpformError('INTERNAL', `no client definition for target ${adapter.name}`);
  return def;
}

/** MCPFORM_CLAUDE_DESKTOP_CONFIG for claude-desktop: a path override for tests and odd setups. */
export function overrideVariable(name: string): string {
  return `MCPFORM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CONFIG`;
}

export function resolveContext(
  def: Pick<ClientDefinition, 'scopes'>,
  spec: TargetSpec,
  world: Pick<World, 'env' | 'platform' | 'home'>,
): ResolveContext {
  return {
    env: world.env,
    platform: world.platform,
    get home() {
      return requireHome(world);
    },
    configDir: spec.base,
    scope: spec.scope ?? (def.scopes ?? ['user'])[0]!,
  };
}

export function defineClient(def: ClientDefinition): TargetAdapter {
  const format = formatFor(def.format);
  const normalize = (e: ClientEntry): ClientEntry => (def.normalize ? def.normalize(e) : e);
  const scopeOf = (spec: TargetSpec | undefined): string => spec?.scope ?? (def.scopes ?? ['user'])[0]!;
  const where = (spec: TargetSpec | undefined, document?: unknown): DocPath =>
    def.serversPath({ scope: scopeOf(spec), configDir: spec?.base }, document);

  const adapter: TargetAdapter = {
    name: def.name,
    format: def.format,
    scopes: def.scopes ?? ['user'],
    launch: def.launch,
    serverCwd: def.serverCwd,
    windowsStart: def.windowsStart ?? 'plain',
    percentVariables: def.percentVariables,
    remote: def.remote,
    variableReference: def.variableReference,
    managedFields: def.managedFields,
    toCanonical: (entry, env) => (def.toCanonical ? def.toCanonical(normalize(entry), env) : normalize(entry)),

    resolvePath(spec, world) {
      return world.env[overrideVariable(def.name)] || spec.path || def.resolvePath(resolveContext(def, spec, world));
    },

    read: (path, spec) => fromFile(readConfigFile(path), path, spec),

    parse: (content, path, opts = {}) => fromFile(configFileOf(content), path, opts.spec, opts.serversPath),

    render(server, pins, spec, platform) {
      const opts: RenderOptions = { secrets: spec?.secrets ?? 'value', scope: scopeOf(spec) };
      const ref = def.variableReference;
      const rendered = def.render(
        opts.secrets === 'reference' && ref ? withReferences(server, ref) : server,
        pins,
        opts,
      );
      return forPlatform(rendered, def.windowsStart ?? 'plain', platform);
    },

    serialize(live, entries) {
      const at = live.serversPath ?? where(live.spec, live.document);
      if (def.listKey) return serializeList(live, entries, at, def.listKey);
      let text = live.text;
      for (const name of Object.keys(live.entries)) {
        if (!Object.hasOwn(entries, name)) text = format.deleteIn(text, [...at, name], live.path);
      }
      for (const [name, entry] of Object.entries(entries)) {
        const old = live.entries[name];
        if (old !== undefined && deepEqual(old, entry)) continue;
        const raw = getIn(live.document, [...at, name]);
        text = format.setIn(
          text,
          [...at, name],
          old && isPlain(raw) ? asWritten(raw, old, entry, normalize) : entry,
          live.path,
        );
      }
      verify(live, text, at, entries);
      return text;
    },
  };
  DEFINITIONS.set(adapter, def);

  /** A client file's text as this client reads it: its document, and its servers by name. */
  function fromFile(file: ConfigFile, path: string, spec?: TargetSpec, at?: DocPath): LiveConfig {
    const document = file.exists ? format.parse(file.text, path) : undefined;
    if (document !== undefined && !isPlain(document)) {
      throw new McpformError(
        'INVALID_LIVE_CONFIG',
        `${path} must hold an object (a map); mcpform will not overwrite it`,
      );
    }
    const serversPath = at ?? where(spec, document);
    const key = serversPath.join('.');
    const stored = getIn(document, serversPath);
    const servers = def.listKey ? byListKey(stored, def.listKey, path, key) : (stored ?? {});
    if (!isPlain(servers)) {
      throw new McpformError(
        'INVALID_LIVE_CONFIG',
        `${path}: "${key}" must be a ${def.listKey ? 'list' : 'map'} of server entries; mcpform will not overwrite it`,
      );
    }
    const entries: Record<string, ClientEntry> = {};
    const builtIn: string[] = [];
    for (const [name, entry] of Object.entries(servers)) {
      if (!isPlain(entry)) {
        throw new McpformError(
          'INVALID_LIVE_CONFIG',
          `${path}: ${key}.${name} must be a map; mcpform will not overwrite it`,
        );
      }
      if (def.builtIn?.(entry)) {
        builtIn.push(name);
        continue;
      }
      // defineProperty: a server named `__proto__` is an entry, not a prototype.
      Object.defineProperty(entries, name, {
        value: normalize(entry),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return {
      target: def.name,
      path,
      exists: file.exists,
      get hash() {
        return file.hash; // hashed on first use (readConfigFile)
      },
      text: file.text,
      document: document ?? {},
      entries,
      ...(builtIn.length ? { builtIn } : {}),
      indent: detectIndent(file.text),
      spec,
      serversPath,
    };
  }

  /**
   * A list of servers (`listKey`): an entry that changes is edited in place, a removed one
   * cut out (from the last, so indexes hold), a new one appended; a new file first gets the
   * client's `newFile` keys.
   */
  function serializeList(live: LiveConfig, entries: Record<string, ClientEntry>, at: DocPath, listKey: string): string {
    let text = live.text;
    let base = live.document;
    if (text.trim() === '' && def.newFile) {
      for (const [k, v] of Object.entries(def.newFile)) text = format.setIn(text, [k], v, live.path);
      base = { ...def.newFile };
    }
    const stored = getIn(live.document, at);
    const list = Array.isArray(stored) ? stored : [];
    const names = list.map((item) => (isPlain(item) ? String(item[listKey]) : ''));
    for (let i = list.length - 1; i >= 0; i--) {
      if (!Object.hasOwn(entries, names[i]!)) text = format.deleteIn(text, [...at, i], live.path);
    }
    const kept = names.filter((n) => Object.hasOwn(entries, n));
    for (const [name, entry] of Object.entries(entries)) {
      const i = kept.indexOf(name);
      const old = live.entries[name];
      if (i !== -1 && old !== undefined && deepEqual(old, entry)) continue;
      const raw = i === -1 ? undefined : list[names.indexOf(name)];
      const body = old && isPlain(raw) ? asWritten(raw, old, entry, normalize) : entry;
      text = format.setIn(text, [...at, i === -1 ? kept.length : i], { [listKey]: name, ...body }, live.path);
      if (i === -1) kept.push(name);
    }
    verify({ ...live, document: base }, text, at, entries);
    return text;
  }

  /** The read-back: the new text parses to exactly these entries, and nothing else moved. */
  function verify(live: LiveConfig, text: string, at: DocPath, entries: Record<string, ClientEntry>): void {
    const after = format.parse(text, live.path);
    const stored = getIn(after, at);
    const got = def.listKey ? byListKey(stored, def.listKey, live.path, at.join('.')) : stored;
    const servers = isPlain(got) ? Object.entries(got).filter(([n]) => !live.builtIn?.includes(n)) : [];
    const ok =
      isPlain(got) &&
      deepEqual(Object.fromEntries(servers.map(([n, e]) => [n, isPlain(e) ? normalize(e) : e])), entries) &&
      // Everything else is as it was (a server map that did not exist is created with its parents).
      deepEqual(after, setIn(live.document, at, stored));
    if (!ok) {
      throw new McpformError(
        'INTERNAL',
        `mcpform's edit of ${live.path} would not hold exactly the planned servers; nothing was written`,
        { hint: 'please report this with the file (secrets removed); MCPFORM_DEBUG=1 shows more' },
      );
    }
  }

  return adapter;
}

/**
 * A list of `{ [key]: NAME, ... }` entries as a map by NAME (without the key field). A
 * missing list is empty; an item without a name, or a name twice, is refused: mcpform
 * could not tell which entry is which.
 */
function byListKey(list: unknown, key: string, path: string, where: string): Record<string, unknown> | unknown {
  if (list === undefined || list === null) return {};
  if (!Array.isArray(list)) return [list]; // not a list: the caller's "must be a list" error
  const out: Record<string, unknown> = {};
  list.forEach((item, i) => {
    const name = isPlain(item) ? item[key] : undefined;
    if (typeof name !== 'string' || name === '' || Object.hasOwn(out, name)) {
      throw new McpformError(
        'INVALID_LIVE_CONFIG',
        `${path}: ${where}[${i}] ${typeof name === 'string' && name !== '' ? `repeats the name '${name}'` : `has no '${key}'`}; mcpform will not overwrite it`,
      );
    }
    const { [key]: _name, ...rest } = item as Record<string, unknown>;
    Object.defineProperty(out, name, { value: rest, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

/**
 * The entry to write over `raw` (the bytes' values): the new entry, except fields that only
 * normalization added (absent from the file, unchanged in the plan) stay absent, and a value
 * the client reads as the planned one keeps the file's spelling (Copilot's `stdio` for `local`).
 */
function asWritten(
  raw: ClientEntry,
  normalized: ClientEntry,
  entry: ClientEntry,
  normalize: (e: ClientEntry) => ClientEntry,
): ClientEntry {
  const out: ClientEntry = {};
  for (const [k, v] of Object.entries(entry)) {
    const unchanged = Object.hasOwn(normalized, k) && deepEqual(normalized[k], v);
    if (!Object.hasOwn(raw, k) && unchanged) continue;
    // A scalar only: a structured value (Zed's legacy `command` object) is rewritten in the new shape.
    const spelled = unchanged && Object.hasOwn(raw, k) && (typeof raw[k] !== 'object' || raw[k] === null);
    out[k] = spelled ? raw[k] : v;
  }
  // A field normalization moved rather than added (Cline's nested `transport`) is not filled
  // back in from the new entry: write the entry whole.
  return deepEqual(normalize(out), entry) ? out : entry;
}

import { homedir } from 'node:os';
import type { DesiredServer, TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { formatFor, type DocPath, type FormatName } from './formats/index.js';
import { deepEqual, getIn, isPlain, setIn } from './formats/path.js';
import { withReferences } from './clients/render.js';
import { detectIndent, readConfigFile } from './json-file.js';
import type { ClientEntry, LiveConfig, Pins, RenderedEntry, TargetAdapter } from './types.js';

/** What a client's `resolvePath` and `serversPath` may know about the machine. */
export interface ResolveContext {
  /** The environment from the CLI context (tests pass a fake one). */
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** HOME (USERPROFILE on Windows). */
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
   */
  toCanonical?(entry: ClientEntry): ClientEntry;
  readonly launch: 'gui' | 'cli';
  readonly variableReference?: (name: string) => string;
  readonly managedFields: readonly string[];
  readonly remote: 'native' | 'mcp-remote';
}

/** MCPFORM_CLAUDE_DESKTOP_CONFIG for claude-desktop: a path override for tests and odd setups. */
export function overrideVariable(name: string): string {
  return `MCPFORM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CONFIG`;
}

export function resolveContext(
  def: Pick<ClientDefinition, 'scopes'>,
  spec: TargetSpec,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): ResolveContext {
  const home = (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME || env.USERPROFILE) || homedir();
  return { env, platform, home, configDir: spec.base, scope: spec.scope ?? (def.scopes ?? ['user'])[0]! };
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
    remote: def.remote,
    variableReference: def.variableReference,
    managedFields: def.managedFields,
    toCanonical: (entry) => (def.toCanonical ? def.toCanonical(normalize(entry)) : normalize(entry)),

    resolvePath(spec, env, platform) {
      return env[overrideVariable(def.name)] || spec.path || def.resolvePath(resolveContext(def, spec, env, platform));
    },

    read(path, spec) {
      const file = readConfigFile(path);
      const document = file.exists ? format.parse(file.text, path) : undefined;
      if (document !== undefined && !isPlain(document)) {
        throw new McpformError(
          'INVALID_LIVE_CONFIG',
          `${path} must hold an object (a map); mcpform will not overwrite it`,
        );
      }
      const serversPath = where(spec, document);
      const key = serversPath.join('.');
      const servers = getIn(document, serversPath) ?? {};
      if (!isPlain(servers)) {
        throw new McpformError(
          'INVALID_LIVE_CONFIG',
          `${path}: "${key}" must be a map of server entries; mcpform will not overwrite it`,
        );
      }
      const entries: Record<string, ClientEntry> = {};
      for (const [name, entry] of Object.entries(servers)) {
        if (!isPlain(entry)) {
          throw new McpformError(
            'INVALID_LIVE_CONFIG',
            `${path}: ${key}.${name} must be a map; mcpform will not overwrite it`,
          );
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
        hash: file.hash,
        text: file.text,
        document: document ?? {},
        entries,
        indent: detectIndent(file.text),
        spec,
        serversPath,
      };
    },

    render(server, pins, spec) {
      const opts: RenderOptions = { secrets: spec?.secrets ?? 'value', scope: scopeOf(spec) };
      const ref = def.variableReference;
      return def.render(opts.secrets === 'reference' && ref ? withReferences(server, ref) : server, pins, opts);
    },

    serialize(live, entries) {
      const at = live.serversPath ?? where(live.spec, live.document);
      let text = live.text;
      for (const name of Object.keys(live.entries)) {
        if (!Object.hasOwn(entries, name)) text = format.deleteIn(text, [...at, name], live.path);
      }
      for (const [name, entry] of Object.entries(entries)) {
        const old = live.entries[name];
        if (old !== undefined && deepEqual(old, entry)) continue;
        const raw = getIn(live.document, [...at, name]);
        text = format.setIn(text, [...at, name], old && isPlain(raw) ? asWritten(raw, old, entry) : entry, live.path);
      }
      verify(live, text, at, entries);
      return text;
    },
  };

  /** The read-back: the new text parses to exactly these entries, and nothing else moved. */
  function verify(live: LiveConfig, text: string, at: DocPath, entries: Record<string, ClientEntry>): void {
    const after = format.parse(text, live.path);
    const got = getIn(after, at);
    const ok =
      isPlain(got) &&
      deepEqual(Object.fromEntries(Object.entries(got).map(([n, e]) => [n, isPlain(e) ? normalize(e) : e])), entries) &&
      // Everything else is as it was (a server map that did not exist is created with its parents).
      deepEqual(after, setIn(live.document, at, got));
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
 * The entry to write over `raw` (the bytes' values): the new entry, except fields that only
 * normalization added (absent from the file, unchanged in the plan) stay absent.
 */
function asWritten(raw: ClientEntry, normalized: ClientEntry, entry: ClientEntry): ClientEntry {
  const out: ClientEntry = {};
  for (const [k, v] of Object.entries(entry)) {
    if (!Object.hasOwn(raw, k) && Object.hasOwn(normalized, k) && deepEqual(normalized[k], v)) continue;
    out[k] = v;
  }
  return out;
}

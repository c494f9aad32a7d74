import type { DesiredServer, TargetSpec } from '../config/types.js';
import type { World } from '../world.js';
import type { WindowsStart } from './windows-start.js';
import type { FormatName } from './formats/index.js';
import type { DocPath } from './formats/path.js';

/**
 * The working directory a client starts a stdio server in when the entry gives no `cwd`:
 * `project` (the folder it was opened or started in: a CLI's cwd, an editor's workspace),
 * `home`, `root` (the filesystem root: a desktop app started by launchd), or `unknown` (not
 * established from the client's source or docs). Checks start servers there
 * (src/probe/client-dir.ts), so a relative path that only works in mcpform's cwd fails as in the client.
 */
export type ServerCwd = 'project' | 'home' | 'root' | 'unknown';

/** One server's entry in a client's config file, as parsed. */
export type ClientEntry = Record<string, unknown>;

/** A client config file as read: bytes, hash, and the parsed entries. */
export interface LiveConfig {
  readonly target: string;
  readonly path: string;
  readonly exists: boolean;
  /** sha256 of the exact bytes read; `null` when the file does not exist. */
  readonly hash: string | null;
  /** The text as read (a BOM included): writes edit this text, never re-serialise it. */
  readonly text: string;
  /** The whole parsed document. */
  readonly document: Record<string, unknown>;
  /** The servers, normalized by the client (an absent default field filled in). */
  readonly entries: Readonly<Record<string, ClientEntry>>;
  /** Names of the client's own built-in entries (not in `entries`): a server may not take one. */
  readonly builtIn?: readonly string[];
  /** Indentation the file uses. */
  readonly indent: string | number;
  /** The spec it was read for (its scope decides `serversPath`), so a read-back reads the same place. */
  readonly spec?: TargetSpec;
  /** Where the server map is in the document (`['mcpServers']`, `['projects', DIR, 'mcpServers']`). */
  readonly serversPath?: DocPath;
}

/** What mcpform would write for one server, and which parts of it are secret. */
export interface RenderedEntry {
  readonly entry: ClientEntry;
  /** JSON pointers into `entry` (`/env/TOKEN`, `/args/3`). */
  readonly sensitive: ReadonlySet<string>;
}

/** Exact versions from mcp.lock, by server name. */
export type Pins = ReadonlyMap<string, string>;

/**
 * A client application whose MCP config mcpform manages, built by `defineClient`
 * (src/targets/define.ts) from one file in src/targets/clients/; plan, apply, ownership
 * and checks only use this.
 */
export interface TargetAdapter {
  readonly name: string;
  readonly format: FormatName;
  /** The scopes `targets: { NAME: { scope } }` accepts; the first is the default. */
  readonly scopes: readonly string[];
  /**
   * The environment the client starts servers with. `gui`: a desktop app launched from the
   * dock/start menu, which gets the desktop session's minimal PATH, not the shell's; `cli`:
   * a program started from the user's shell, whose servers inherit that shell's environment.
   * `test`, apply's checks and `doctor` all start servers in this environment.
   */
  readonly launch: 'gui' | 'cli';
  /** The folder the client starts a stdio server in when its entry has no `cwd` (see ServerCwd). */
  readonly serverCwd: ServerCwd;
  /** How the client starts a stdio command on Windows: `plain` (no shell, no PATHEXT) or `resolving`. */
  readonly windowsStart: WindowsStart;
  /** Where the client itself expands `%NAME%` on Windows: `env` values, or nowhere (absent). */
  readonly percentVariables?: 'env';
  /** `native`: the client runs `url` servers itself; `mcp-remote`: through the mcp-remote bridge. */
  readonly remote: 'native' | 'mcp-remote';
  /**
   * How the client spells a reference to an environment variable that it expands itself
   * (`${env:X}`, `${X}`, ...), used by `secrets: reference`; absent when the client writes
   * values literally.
   */
  readonly variableReference?: (name: string) => string;
  /**
   * The config file this target manages on this machine: MCPFORM_<NAME>_CONFIG, else the
   * spec's `path`, else the client's own place for the spec's scope, by the World's OS rules.
   */
  resolvePath(spec: TargetSpec, world: Pick<World, 'env' | 'platform' | 'home'>): string;
  /** Reads the file; a missing file is an empty config; invalid syntax is INVALID_LIVE_CONFIG. */
  read(path: string, spec?: TargetSpec): LiveConfig;
  /**
   * `read` on bytes already in hand (a backup of `path`), with the same errors. `serversPath`:
   * where the server map is when it is known (a backup's ownership records it), else the spec's.
   */
  parse(content: Buffer, path: string, opts?: { spec?: TargetSpec; serversPath?: DocPath }): LiveConfig;
  /**
   * The entry this client needs to run `server` on `platform` (the World's: on Windows,
   * `npx` in the form the client starts, `windowsStart`); the spec gives `secrets`, `scope`.
   */
  render(server: DesiredServer, pins: Pins, spec: TargetSpec | undefined, platform: NodeJS.Platform): RenderedEntry;
  /** Entry fields mcpform sets; any other field in a live entry is the user's and kept. */
  readonly managedFields: readonly string[];
  /**
   * A live entry in the common vocabulary import, doctor and `test --live` read (Claude
   * Desktop's: command, args, env, cwd | url, headers, type), whatever the client's spelling.
   * With `env`, values the client reads from its environment by name are resolved.
   */
  toCanonical(entry: ClientEntry, env?: NodeJS.ProcessEnv): ClientEntry;
  /**
   * The new file text with `entries` as the server map, edited in place: only the entries and
   * fields that differ change bytes; the result is parsed back and proven before it is returned.
   */
  serialize(live: LiveConfig, entries: Record<string, ClientEntry>): string;
}

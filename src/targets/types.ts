import type { DesiredServer, TargetSpec } from '../config/types.js';

/** One server's entry in a client's config file, exactly as JSON. */
export type ClientEntry = Record<string, unknown>;

/** A client config file as read: bytes, hash, and the parsed entries. */
export interface LiveConfig {
  readonly target: string;
  readonly path: string;
  readonly exists: boolean;
  /** sha256 of the exact bytes read; `null` when the file does not exist. */
  readonly hash: string | null;
  readonly text: string;
  /** The whole parsed document; other top-level keys are preserved on write. */
  readonly document: Record<string, unknown>;
  readonly entries: Readonly<Record<string, ClientEntry>>;
  /** Indentation the file uses, so a write keeps the user's formatting. */
  readonly indent: string | number;
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
 * A client application whose MCP config mcpform manages. One file per client implements
 * this; everything else (plan, apply, ownership) is shared.
 */
export interface TargetAdapter {
  readonly name: TargetSpec['name'];
  /**
   * The environment the client starts servers with. `gui`: a desktop app launched from the
   * dock/start menu, which gets the desktop session's minimal PATH, not the shell's; `cli`:
   * a program started from the user's shell, whose servers inherit that shell's environment.
   * `test`, apply's checks and `doctor` all start servers in this environment.
   */
  readonly launch: 'gui' | 'cli';
  /**
   * How the client spells a reference to an environment variable that it expands itself
   * (`${env:X}`, `${X}`, ...), used by `secrets: reference`; absent when the client writes
   * values literally.
   */
  readonly variableReference?: (name: string) => string;
  /** The config file this target manages on this machine. */
  resolvePath(spec: TargetSpec, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string;
  /** Reads the file; a missing file is an empty config; invalid JSON is INVALID_LIVE_CONFIG. */
  read(path: string): LiveConfig;
  /** The entry this client needs to run `server`. */
  render(server: DesiredServer, pins: Pins): RenderedEntry;
  /** Entry fields mcpform sets; any other field in a live entry is the user's and kept. */
  readonly managedFields: readonly string[];
  /** The new file text: `entries` replace the server map, everything else kept. */
  serialize(live: LiveConfig, entries: Record<string, ClientEntry>): string;
}

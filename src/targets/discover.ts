import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { readOwnership } from '../state/ownership.js';
import { allAdapters } from './index.js';
import type { World } from '../world.js';
import type { TargetAdapter } from './types.js';

/** One client file on this machine, and who manages its servers. */
export interface FoundClient {
  readonly client: string;
  readonly scope: string;
  readonly path: string;
  /** The file exists. */
  readonly exists: boolean;
  readonly servers: number;
  /** Entries mcpform owns, grouped by the mcp.yaml that applied them (`null`: not recorded, an older state). */
  readonly managed: readonly { readonly by: string | null; readonly servers: readonly string[] }[];
  /** Entries nobody's mcp.yaml manages (hand-made, or added by the client itself). */
  readonly unmanaged: readonly string[];
  /** Why the file could not be read (it is listed, never changed). */
  readonly error?: string;
}

export interface DiscoverInput {
  /** Where the clients' files are (its env, platform, home) and the state dir with who owns what. */
  world: World;
  /** mcp.yaml's folder (else the cwd), for project scopes (`.mcp.json`, `.continue/`). */
  configDir: string;
  /** Targets mcp.yaml declares: their `path` and scope are where mcpform looks for those. */
  declared?: readonly TargetSpec[];
}

/**
 * Every registered client whose file is on this machine, or whose folder is (installed, no
 * servers yet), per scope. Only through the adapter interface: a new client is found with
 * no code here. A client's default scope counts when its file or its own folder exists
 * (never the home or project folder itself, which always do); other scopes (Claude Code
 * local, project files) only when they hold servers.
 */
export function discoverClients(input: DiscoverInput): FoundClient[] {
  const out: FoundClient[] = [];
  for (const adapter of allAdapters()) {
    for (const [i, scope] of adapter.scopes.entries()) {
      const declared = input.declared?.find((t) => t.name === adapter.name && (t.scope ?? adapter.scopes[0]) === scope);
      const spec: TargetSpec = declared ?? { name: adapter.name, scope, base: input.configDir };
      const found = inspect(adapter, spec, input);
      const installed = i === 0 && folderIsTheClients(dirname(found.path), input);
      if (found.servers > 0 || found.error || (i === 0 && (found.exists || installed)) || declared) out.push(found);
    }
  }
  return out;
}

function inspect(adapter: TargetAdapter, spec: TargetSpec, input: DiscoverInput): FoundClient {
  const path = adapter.resolvePath(spec, input.world);
  const base = { client: adapter.name, scope: spec.scope ?? adapter.scopes[0]!, path };
  let names: string[];
  let exists: boolean;
  try {
    const live = adapter.read(path, spec);
    names = Object.keys(live.entries);
    exists = live.exists;
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    return { ...base, exists: true, servers: 0, managed: [], unmanaged: [], error: err.message };
  }
  const owned = readOwnership(adapter.name, path, input.world).servers;
  const byOwner = new Map<string | null, string[]>();
  const unmanaged: string[] = [];
  for (const name of names) {
    if (!Object.hasOwn(owned, name)) {
      unmanaged.push(name);
      continue;
    }
    // Records from before owners were kept (format 1) have none.
    const key = owned[name]!.owner;
    byOwner.set(key, [...(byOwner.get(key) ?? []), name]);
  }
  return {
    ...base,
    exists,
    servers: names.length,
    managed: [...byOwner].map(([by, servers]) => ({ by, servers })),
    unmanaged,
  };
}

/** The folder a client made for itself (~/.codex, ~/.config/goose), not one that always exists. */
function folderIsTheClients(dir: string, input: DiscoverInput): boolean {
  const d = resolve(dir);
  const { home } = input.world;
  if ((home !== undefined && d === resolve(home)) || d === resolve(input.configDir) || d === dirname(d)) return false;
  try {
    return existsSync(d) && statSync(d).isDirectory();
  } catch {
    return false;
  }
}

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { McpformError } from '../errors.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import { writeFileAtomic } from '../util/fs.js';
import type { World } from '../world.js';
import { STATE_DIR_HINT, stateDir } from './dirs.js';
import { makeOwnDir } from '../util/make-dir.js';
import { keyedHash } from './hash-key.js';
import { realPathOf } from '../util/real-path.js';

/**
 * What mcpform last wrote for one entry of a client file, and for which mcp.yaml. Several
 * projects (dotfiles, team repos) share one client file: each entry has one owner, and a
 * project changes or removes only its own.
 */
export interface OwnedEntry {
  /**
   * The mcp.yaml that applied it (absolute path). `null`: not recorded — the entry came from
   * a format-1 record, written before mcpform knew owners (see `readOwnership`).
   */
  owner: string | null;
  /**
   * A keyed hash (`hmac-sha256:`, ./hash-key.ts) of the entry as written, for drift. A legacy
   * record's plain `sha256:` is still compared until the next apply rehashes it; `unknown`
   * means mcpform cannot tell what it wrote (treated as changed outside mcpform).
   */
  hash: string;
  appliedAt: string;
  environment: string;
  /**
   * JSON pointers (`/env/TOKEN`, `/args/3`) of the values that were secret when mcpform
   * wrote them: a plan keeps them `(sensitive)` when they change or go, even if mcp.yaml no
   * longer says they are secret. Pointers only, never values.
   */
  sensitive?: string[];
}

/** One record per client file (`targets/<target>-<hash of path>.json`, mode 0600). */
export interface Ownership {
  formatVersion: 2;
  target: string;
  path: string;
  /**
   * Set when the servers are not a top-level map (Claude Code's local scope,
   * `projects.DIR.mcpServers`): one file can hold several server maps, each its own record.
   */
  serversPath?: readonly (string | number)[];
  servers: Record<string, OwnedEntry>;
}

export const UNKNOWN_HASH = 'unknown';

/** A client file's entry, as JSON: state/ records hashes of entries, never how a client spells them. */
type Entry = Readonly<Record<string, unknown>>;

/** A stable keyed hash of an entry: key order does not matter, values do. */
export function entryHash(entry: Entry, key?: Buffer): string {
  return keyedHash(canonicalJson(entry), key);
}

/** Whether `entry` is what `hash` recorded (keyed, or a legacy plain sha256). */
export function entryMatches(entry: Entry, hash: string, key?: Buffer): boolean {
  if (hash.startsWith('sha256:')) return sha256(canonicalJson(entry)) === hash;
  if (hash.startsWith('hmac-sha256:')) return key !== undefined && keyedHash(canonicalJson(entry), key) === hash;
  return false;
}

/** The record's key part for a server map: none for a top-level one (the records of 0.1 stay valid). */
export function nestedServersPath(serversPath: readonly (string | number)[] | undefined) {
  return serversPath && serversPath.length > 1 ? serversPath : undefined;
}

function ownershipFile(target: string, path: string, world: World, serversPath?: readonly (string | number)[]): string {
  return recordFile(target, realPathOf(path), world, serversPath);
}

/**
 * Where mcpform 0.1 kept the record: keyed on the path as configured, so a file reached
 * through a symlink had one record per path (and `--prune` through one deleted what another
 * project wrote through the other). Undefined when that is the real path's record anyway.
 */
function legacyFile(target: string, path: string, world: World, serversPath?: readonly (string | number)[]) {
  const legacy = recordFile(target, path, world, serversPath);
  return legacy === ownershipFile(target, path, world, serversPath) ? undefined : legacy;
}

function recordFile(target: string, fileKey: string, world: World, serversPath?: readonly (string | number)[]): string {
  const nested = nestedServersPath(serversPath);
  const key = nested ? `${fileKey}\0${JSON.stringify(nested)}` : fileKey;
  return join(stateDir(world), 'targets', `${target}-${sha256(key).slice(7, 23)}.json`);
}

/**
 * The record for one client file, always in format 2. A format-1 record (one per client
 * file, "owned by whoever applied") is migrated in memory: its entries get `owner: null`,
 * which a plan treats as belonging to no project in particular — the mcp.yaml that declares
 * one takes it over (and records itself on apply); one nobody declares is left alone like a
 * hand-made entry. So upgrading never makes one project remove another's servers.
 */
export function readOwnership(
  target: string,
  path: string,
  world: World,
  serversPath?: readonly (string | number)[],
): Ownership {
  const own = readRecord(ownershipFile(target, path, world, serversPath), target, path, serversPath);
  const legacyPath = legacyFile(target, path, world, serversPath);
  if (!legacyPath) return own;
  // Both describe the one file: what only the old record names is still owned (until the
  // next write, which moves it into the real path's record).
  const legacy = readRecord(legacyPath, target, path, serversPath);
  for (const [name, entry] of Object.entries(legacy.servers)) {
    if (!Object.hasOwn(own.servers, name))
      Object.defineProperty(own.servers, name, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return own;
}

function readRecord(file: string, target: string, path: string, serversPath?: readonly (string | number)[]): Ownership {
  const nested = nestedServersPath(serversPath);
  let raw: { formatVersion?: unknown; servers?: unknown };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
    if ((raw.formatVersion !== 1 && raw.formatVersion !== 2) || typeof raw.servers !== 'object' || !raw.servers)
      throw new Error('unknown format');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { formatVersion: 2, target, path, ...(nested && { serversPath: nested }), servers: {} };
    throw new McpformError('UNREADABLE', `mcpform's state file ${file} is damaged (${(err as Error).message})`, {
      hint: 'move it aside; mcpform will then treat existing entries as unmanaged and offer to adopt them',
    });
  }
  const servers: Record<string, OwnedEntry> = {};
  for (const [name, e] of Object.entries(raw.servers as Record<string, Partial<OwnedEntry>>)) {
    Object.defineProperty(servers, name, {
      value: {
        owner: raw.formatVersion === 2 && typeof e.owner === 'string' ? e.owner : null,
        hash: typeof e.hash === 'string' ? e.hash : UNKNOWN_HASH,
        appliedAt: String(e.appliedAt ?? ''),
        environment: String(e.environment ?? ''),
        ...(Array.isArray(e.sensitive) ? { sensitive: e.sensitive.map(String) } : {}),
      },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { formatVersion: 2, target, path, ...(nested && { serversPath: nested }), servers };
}

/** Writes a record (also a backup's older-format one, which `readOwnership` migrates). */
export async function writeOwnership(
  // A format-1 record too: tests write one to prove it is still read.
  o: Ownership | { formatVersion: 1; target: string; path: string; servers: Record<string, unknown> },
  world: World,
): Promise<void> {
  const serversPath = 'serversPath' in o ? o.serversPath : undefined;
  const file = ownershipFile(o.target, o.path, world, serversPath);
  makeOwnDir(join(stateDir(world), 'targets'), 'the ownership folder', STATE_DIR_HINT);
  await writeFileAtomic(file, `${JSON.stringify(o, null, 2)}\n`, { mode: 0o600 });
  // Read merged into this one (readOwnership): kept, it would bring back what this write dropped.
  const legacy = legacyFile(o.target, o.path, world, serversPath);
  if (legacy) rmSync(legacy, { force: true });
}

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpformError } from '../errors.js';
import { sha256 } from '../targets/json-file.js';
import type { ClientEntry } from '../targets/types.js';
import { writeFileAtomic } from '../util/fs.js';
import { stateDir } from './dirs.js';

/** What mcpform last wrote for one entry it owns (a hash: the state dir holds no secret). */
export interface OwnedEntry {
  hash: string;
  appliedAt: string;
  environment: string;
}

export interface Ownership {
  formatVersion: 1;
  target: string;
  path: string;
  /**
   * Set when the servers are not a top-level map (Claude Code's local scope,
   * `projects.DIR.mcpServers`): one file can hold several server maps, each its own record.
   */
  serversPath?: readonly (string | number)[];
  servers: Record<string, OwnedEntry>;
}

/** The record's key part for a server map: none for a top-level one (the records of 0.1 stay valid). */
export function nestedServersPath(serversPath: readonly (string | number)[] | undefined) {
  return serversPath && serversPath.length > 1 ? serversPath : undefined;
}

/** A stable hash of an entry: key order does not matter, values do. */
export function entryHash(entry: ClientEntry): string {
  return sha256(canonicalJson(entry));
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function ownershipFile(
  target: string,
  path: string,
  env?: NodeJS.ProcessEnv,
  serversPath?: readonly (string | number)[],
): string {
  const nested = nestedServersPath(serversPath);
  const key = nested ? `${path}\0${JSON.stringify(nested)}` : path;
  return join(stateDir(env), 'targets', `${target}-${sha256(key).slice(7, 23)}.json`);
}

export function readOwnership(
  target: string,
  path: string,
  env?: NodeJS.ProcessEnv,
  serversPath?: readonly (string | number)[],
): Ownership {
  const file = ownershipFile(target, path, env, serversPath);
  const nested = nestedServersPath(serversPath);
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Ownership;
    if (v.formatVersion !== 1 || typeof v.servers !== 'object') throw new Error('unknown format');
    return v;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { formatVersion: 1, target, path, ...(nested && { serversPath: nested }), servers: {} };
    throw new McpformError('UNREADABLE', `mcpform's state file ${file} is damaged (${(err as Error).message})`, {
      hint: 'move it aside; mcpform will then treat existing entries as unmanaged and offer to adopt them',
    });
  }
}

export async function writeOwnership(o: Ownership, env?: NodeJS.ProcessEnv): Promise<void> {
  const file = ownershipFile(o.target, o.path, env, o.serversPath);
  mkdirSync(join(stateDir(env), 'targets'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(o, null, 2)}\n`, { mode: 0o600 });
}

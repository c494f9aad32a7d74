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
  servers: Record<string, OwnedEntry>;
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

function ownershipFile(target: string, path: string, env?: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'targets', `${target}-${sha256(path).slice(7, 23)}.json`);
}

export function readOwnership(target: string, path: string, env?: NodeJS.ProcessEnv): Ownership {
  const file = ownershipFile(target, path, env);
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Ownership;
    if (v.formatVersion !== 1 || typeof v.servers !== 'object') throw new Error('unknown format');
    return v;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { formatVersion: 1, target, path, servers: {} };
    throw new McpformError('UNREADABLE', `mcpform's state file ${file} is damaged (${(err as Error).message})`, {
      hint: 'move it aside; mcpform will then treat existing entries as unmanaged and offer to adopt them',
    });
  }
}

export async function writeOwnership(o: Ownership, env?: NodeJS.ProcessEnv): Promise<void> {
  const file = ownershipFile(o.target, o.path, env);
  mkdirSync(join(stateDir(env), 'targets'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(o, null, 2)}\n`, { mode: 0o600 });
}

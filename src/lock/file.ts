import { relative } from 'node:path';
import { stringify } from 'yaml';
import validateLock from '../generated/validate-lock.js';
import { McpformError, type Problem } from '../errors.js';
import { locate, parseSource, toPlain } from '../config/source.js';
import { readRegularFile, writeFileAtomic } from '../util/fs.js';
import { splitPointer } from '../util/pointer.js';
import { EMPTY_LOCK, type LockFile } from './types.js';
import { renderImports } from './git-imports.js';
import { verifyLock } from './verify.js';

const MAX_LOCK_BYTES = 16 * 1024 * 1024;
const HEADER = '# mcp.lock: written by mcpform; commit it. Change pins with `mcpform lock --update [SERVER...]`.\n';

/** Reads mcp.lock (missing: empty), checked against schemas/mcp-lock.schema.json. */
export function readLock(path: string, displayBase?: string): { lock: LockFile; text: string | null } {
  // Regular files only (a FIFO would be waited on forever), and a size no real lock reaches.
  const read = readRegularFile(path, MAX_LOCK_BYTES);
  if (!read.ok && read.reason === 'missing') return { lock: structuredClone(EMPTY_LOCK), text: null };
  if (!read.ok) {
    const why =
      read.reason === 'not-a-file'
        ? `is ${read.kind}, not a regular file`
        : read.reason === 'directory'
          ? 'is a directory'
          : read.reason === 'too-big'
            ? 'is over 16 MiB'
            : `cannot be read (${read.code ?? 'unknown error'})`;
    throw new McpformError('UNREADABLE', `${path} ${why}; nothing was changed`, {
      hint: 'restore it from git, or delete it and run `mcpform lock`',
    });
  }
  const text = read.data.toString('utf8');
  const display = (displayBase && relative(displayBase, path)) || path;
  const { source, problems } = parseSource(text, display, path);
  if (!source)
    throw new McpformError('INVALID_CONFIG', `${display} is not valid YAML`, {
      problems,
      hint: 'restore it from git, or delete it and run `mcpform lock`',
    });
  const plain = toPlain(source);
  if (plain.problems.length)
    throw new McpformError('INVALID_CONFIG', `${display} is not a valid lock file`, { problems: plain.problems });
  if (!validateLock(plain.value)) {
    const list: Problem[] = (validateLock.errors ?? []).map((e) => {
      const path = splitPointer(e.instancePath);
      return {
        message: `${e.instancePath || 'lock file'} ${e.message ?? 'is invalid'}`,
        location: locate(source, path),
      };
    });
    throw new McpformError('INVALID_CONFIG', `${display} is not a valid lock file`, {
      problems: list,
      hint: 'restore it from git, or delete it and run `mcpform lock`',
    });
  }
  const lock = plain.value as LockFile;
  const problems2 = verifyLock(lock, source);
  if (problems2.length)
    throw new McpformError('INVALID_CONFIG', `${display} does not hold together; nothing was changed`, {
      problems: problems2,
      hint: "restore it from git; or delete that server's entry and run `mcpform lock` to record it again",
    });
  return { lock, text };
}

/** Deterministic text: sorted servers, fixed key order, so a re-run rewrites it byte-identically. */
export function renderLock(lock: LockFile): string {
  const servers: LockFile['servers'] = {};
  for (const name of Object.keys(lock.servers).sort()) {
    const e = lock.servers[name]!;
    const entry: LockFile['servers'][string] = {};
    if (e.package)
      entry.package = {
        name: e.package.name,
        requested: e.package.requested,
        version: e.package.version,
        integrity: e.package.integrity,
      };
    if (e.tools) {
      const details: Record<string, { description: string; inputSchema: string }> = {};
      for (const t of [...e.tools.names].sort())
        details[t] = {
          description: Object.hasOwn(e.tools.details, t) ? e.tools.details[t]!.description : '',
          inputSchema: Object.hasOwn(e.tools.details, t) ? e.tools.details[t]!.inputSchema : '',
        };
      entry.tools = { names: [...e.tools.names].sort(), fingerprint: e.tools.fingerprint, details };
    }
    if (e.skipped) entry.skipped = true;
    if (entry.package || entry.tools || entry.skipped) servers[name] = entry;
  }
  const imports = renderImports(lock.imports);
  return HEADER + stringify({ lockfileVersion: 1, servers, ...(imports ? { imports } : {}) }, { lineWidth: 0 });
}

/** Writes only when the content changes. Returns whether it wrote. */
export async function writeLock(path: string, lock: LockFile, previousText: string | null): Promise<boolean> {
  const text = renderLock(lock);
  if (text === previousText) return false;
  await writeFileAtomic(path, text, previousText === null ? { mode: 0o644 } : {});
  return true;
}

import { dirname } from 'node:path';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import type { ProbeResult } from '../probe/types.js';
import type { Pins } from '../targets/types.js';
import { readLock, writeLock } from './file.js';
import { lockPathFor } from './paths.js';
import { compareTools, fingerprintTools, type ToolChange } from './fingerprint.js';
import type { LockFile } from './types.js';

/** mcp.lock as read, plus what this run changed in it. */
export interface OpenLock {
  path: string;
  lock: LockFile;
  text: string | null;
  changed: string[];
}

export function openLock(state: DesiredState): OpenLock {
  const path = lockPathFor(state.file);
  const { lock, text } = readLock(path);
  return { path, lock, text, changed: [] };
}

/** Exact versions to render, for package servers whose pin matches what mcp.yaml asks for. */
export function pinsFor(open: OpenLock, state: DesiredState): Pins {
  const pins = new Map<string, string>();
  for (const s of state.servers) {
    const p = open.lock.servers[s.name]?.package;
    if (s.package && p && p.name === s.package.name && p.requested === s.package.range) pins.set(s.name, p.version);
  }
  return pins;
}

/**
 * Resolves the package servers that have no pin (or whose range changed in mcp.yaml), and
 * with `update` also re-resolves those named (or all). Existing pins change only then.
 */
export async function ensurePins(
  open: OpenLock,
  state: DesiredState,
  opts: { frozen?: boolean; update?: readonly string[] | true } = {},
): Promise<void> {
  const pins = pinsFor(open, state);
  const wanted = state.servers.filter(
    (s) => s.package && (!pins.has(s.name) || opts.update === true || opts.update?.includes(s.name)),
  );
  if (wanted.length === 0) return;
  if (opts.frozen) {
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock has no pin matching mcp.yaml for ${wanted.map((s) => `'${s.name}' (npm:${s.package!.name}@${s.package!.range})`).join(', ')}, and --frozen-lockfile forbids writing it`,
      {
        hint: "run 'mcpform lock' and commit mcp.lock",
      },
    );
  }
  const { resolvePackages } = await import('./resolve.js');
  const resolved = await resolvePackages(
    wanted.map((s) => ({ server: s.name, name: s.package!.name, range: s.package!.range })),
    dirname(state.file),
  );
  for (const [server, pkg] of resolved) {
    const entry = (open.lock.servers[server] ??= {});
    if (
      entry.package?.version !== pkg.version ||
      entry.package.integrity !== pkg.integrity ||
      entry.package.requested !== pkg.requested
    )
      open.changed.push(`${server}: ${pkg.name}@${pkg.version}`);
    entry.package = pkg;
  }
}

export interface FingerprintReport {
  recorded: string[];
  changed: { server: string; changes: ToolChange[] }[];
}

/**
 * Compares each passed server's tools with mcp.lock. A server with no fingerprint yet (or
 * named in `accept`) is recorded; any other difference is reported, tool by tool.
 */
export function checkFingerprints(
  open: OpenLock,
  results: readonly ProbeResult[],
  declared: ReadonlySet<string>,
  accept: readonly string[] | true = [],
): FingerprintReport {
  const report: FingerprintReport = { recorded: [], changed: [] };
  for (const r of results) {
    if (!r.ok || !declared.has(r.server)) continue;
    const now = fingerprintTools(r.tools);
    const locked = open.lock.servers[r.server]?.tools;
    if (!locked || accept === true || accept.includes(r.server)) {
      if (locked?.fingerprint !== now.fingerprint) {
        (open.lock.servers[r.server] ??= {}).tools = now;
        report.recorded.push(r.server);
        open.changed.push(`${r.server}: tools ${now.fingerprint.slice(0, 19)}…`);
      }
      continue;
    }
    const changes = compareTools(locked, now);
    if (changes.length) report.changed.push({ server: r.server, changes });
  }
  return report;
}

/** Writes mcp.lock if this run changed it; with --frozen-lockfile a change is an error instead. */
export async function saveLock(open: OpenLock, state: DesiredState, frozen = false): Promise<boolean> {
  // Entries for servers that mcp.yaml no longer declares anywhere go.
  for (const name of Object.keys(open.lock.servers)) {
    if (!state.declaredServers.includes(name)) {
      delete open.lock.servers[name];
      open.changed.push(`${name}: removed`);
    }
  }
  if (open.changed.length === 0) return false;
  if (frozen) {
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock would change (${open.changed.join('; ')}), and --frozen-lockfile forbids writing it`,
      { hint: "run 'mcpform lock' and commit mcp.lock" },
    );
  }
  const wrote = await writeLock(open.path, open.lock, open.text);
  open.changed = [];
  return wrote;
}

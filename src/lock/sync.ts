import { dirname } from 'node:path';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import type { ChecksData, ProbeResult } from '../probe/types.js';
import type { Pins } from '../targets/types.js';
import { acquireFileMutex } from '../state/file-mutex.js';
import { readLock, renderLock, writeLock } from './file.js';
import { lockPathFor } from './paths.js';
import { integrityError, sameIntegrity } from './integrity.js';
import { compareTools, fingerprintTools, toolListProblem, type ToolChange } from './fingerprint.js';
import { visible } from '../util/sanitize.js';
import type { LockEntry, OpenLock } from './types.js';
import { applyImportEdits, describeImportEdit, importLockEdits } from './git-imports.js';
import type { World } from '../world.js';

export function openLock(state: DesiredState): OpenLock {
  const path = lockPathFor(state.file);
  const { lock, text } = readLock(path);
  return { path, lock, text, changed: [], edits: new Map(), importEdits: new Map() };
}

/** Sets part of a server's entry, in the lock read and as this run's edit (saveLock merges it). */
export function editLock(open: OpenLock, server: string, part: LockEntry): void {
  Object.assign((open.lock.servers[server] ??= {}), part);
  open.edits.set(server, { ...open.edits.get(server), ...part });
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
  opts: { frozen?: boolean; update?: readonly string[] | true; world: World },
): Promise<void> {
  recordImportPins(open, state, opts.frozen);
  const pins = pinsFor(open, state);
  const wanted = state.servers.filter(
    (s) => s.package && (!pins.has(s.name) || opts.update === true || opts.update?.includes(s.name)),
  );
  if (wanted.length === 0) return;
  if (opts.frozen) {
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock has no pin matching mcp.yaml for ` +
        `${wanted.map((s) => `'${s.name}' (npm:${s.package!.name}@${s.package!.range})`).join(', ')}, ` +
        `and --frozen-lockfile forbids writing it`,
      {
        hint: "run 'mcpform lock' and commit mcp.lock",
      },
    );
  }
  const { resolvePackages } = await import('./resolve.js');
  const resolved = await resolvePackages(
    wanted.map((s) => ({ server: s.name, name: s.package!.name, range: s.package!.range })),
    dirname(state.file),
    // npm's configuration (registry, auth, proxy) comes from the World's variables.
    opts.world,
  );
  for (const [server, pkg] of resolved) {
    const entry = open.lock.servers[server];
    // The same version with other content is not an update: it is what EINTEGRITY is for.
    if (
      entry?.package?.name === pkg.name &&
      entry.package.version === pkg.version &&
      !sameIntegrity(entry.package.integrity, pkg.integrity)
    )
      throw integrityError(server, entry.package, pkg.integrity);
    if (
      entry?.package?.version !== pkg.version ||
      entry.package.integrity !== pkg.integrity ||
      entry.package.requested !== pkg.requested
    )
      open.changed.push(`${server}: ${pkg.name}@${pkg.version}`);
    editLock(open, server, { package: pkg });
  }
}

/** One server whose tools differ from what mcp.lock recorded, tool by tool. */
export interface ToolChanges {
  server: string;
  changes: ToolChange[];
}

declare module '../errors.js' {
  interface ErrorData {
    /** The checks that saw the new tools, and the differences (`watch` records a dev server's). */
    FINGERPRINT_CHANGED: ChecksData & { readonly toolChanges: readonly ToolChanges[] };
  }
}

export interface FingerprintReport {
  recorded: string[];
  changed: ToolChanges[];
  /** Differences that `accept` let through (lock --update), named tool by tool. */
  accepted: { server: string; changes: ToolChange[] }[];
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
  const report: FingerprintReport = { recorded: [], changed: [], accepted: [] };
  for (const r of results) {
    // A server waiting for sign-in listed no tools: nothing to compare or record.
    if (!r.ok || r.signIn || !declared.has(r.server)) continue;
    const refused = toolListProblem(r.tools);
    if (refused) throw unfingerprintable(r.server, refused);
    const now = fingerprintTools(r.tools);
    const locked = open.lock.servers[r.server]?.tools;
    const changes = locked ? compareTools(locked, now) : [];
    if (!locked || accept === true || accept.includes(r.server)) {
      if (locked?.fingerprint !== now.fingerprint) {
        editLock(open, r.server, { tools: now });
        report.recorded.push(r.server);
        open.changed.push(`${r.server}: tools ${now.fingerprint.slice(0, 19)}…`);
      }
      if (changes.length) report.accepted.push({ server: r.server, changes });
      continue;
    }
    if (changes.length) report.changed.push({ server: r.server, changes });
  }
  return report;
}

/** A tool list mcp.lock cannot record faithfully (lock/fingerprint.ts `toolListProblem`): refused. */
export function unfingerprintable(server: string, problem: string): McpformError {
  return new McpformError('HEALTH_FAILED', `server '${visible(server)}' cannot be fingerprinted: ${problem}`, {
    hint: 'a server that names its tools this way cannot be reviewed for changes; do not trust it',
  });
}

/** What saveLock would change: this run's edits, and entries no environment declares any more. */
export function pendingLockChanges(open: OpenLock, state: DesiredState): string[] {
  const gone = Object.keys(open.lock.servers).filter((n) => !state.declaredServers.includes(n));
  return [...open.changed, ...gone.map((n) => `${n}: removed`)];
}

/**
 * Writes mcp.lock if this run changed it; with --frozen-lockfile a change is an error
 * instead. Under a lock on mcp.lock, and merged: the file is re-read and only this run's
 * edits are applied to it, so concurrent runs never drop each other's pins or fingerprints.
 */
export async function saveLock(
  open: OpenLock,
  state: DesiredState,
  frozen: boolean,
  opts: { world: World; create?: boolean },
): Promise<boolean> {
  const pending = pendingLockChanges(open, state);
  // `create`: an empty mcp.lock is still written when there is none (`mcpform lock`, so that
  // `git add mcp.lock` works for a setup with nothing to pin or record yet).
  if (pending.length === 0 && !(opts.create && open.text === null)) return false;
  if (frozen) {
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock would change (${pending.join('; ')}), and --frozen-lockfile forbids writing it`,
      { hint: "run 'mcpform lock' and commit mcp.lock" },
    );
  }
  const held = await acquireFileMutex(open.path, { world: opts.world, command: 'write mcp.lock' });
  try {
    const { lock, text } = readLock(open.path);
    for (const [server, part] of open.edits) Object.assign((lock.servers[server] ??= {}), part);
    applyImportEdits(lock, open.importEdits);
    // Entries for servers that mcp.yaml no longer declares anywhere go.
    for (const name of Object.keys(lock.servers)) if (!state.declaredServers.includes(name)) delete lock.servers[name];
    const wrote = await writeLock(open.path, lock, text);
    open.lock = lock;
    open.text = renderLock(lock);
    open.changed = [];
    open.edits.clear();
    open.importEdits.clear();
    return wrote;
  } finally {
    await held.release();
  }
}

/** The git imports' pins (the loader resolved them): recorded as this run's edits. */
function recordImportPins(open: OpenLock, state: DesiredState, frozen?: boolean): void {
  for (const [key, entry] of importLockEdits(open.lock, state, frozen)) {
    if (open.importEdits.has(key)) continue;
    open.importEdits.set(key, entry);
    applyImportEdits(open.lock, new Map([[key, entry]]));
    open.changed.push(describeImportEdit(key, entry));
  }
}

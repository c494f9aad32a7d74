import { dirname } from 'node:path';
import { loadState } from './load-state.js';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { runChecks, type CheckEvent, type CheckListener } from '../probe/checks.js';
import { specFromDesired } from '../probe/specs.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { World } from '../world.js';
import type { ToolChange } from './fingerprint.js';
import type { LaunchChange } from './launch-changes.js';
import { verifyPinnedPackages } from './integrity.js';
import { checkFingerprints, editLock as edit, ensurePins, openLock, pinsFor, saveLock } from './sync.js';
import type { OpenLock } from './types.js';
import { importList, splitUpdateNames, updateImports, type ImportUpdate } from './update-imports.js';

export interface LockRequest {
  file?: string;
  environment?: string;
  /**
   * `--update`: re-resolve and re-record these servers (true, or none named: all), accepting
   * what changed; a name may also be a git import (its key, URL or path), whose pin moves.
   */
  update?: true | readonly string[];
  target?: string;
}

export interface LockResult {
  path: string;
  written: boolean;
  /** `server: name@version` for each pin resolved or moved. */
  pinned: string[];
  /** Servers whose tool fingerprint was written (first time, or accepted by `update`). */
  recorded: string[];
  /** Servers whose handshake failed but that were not asked for by name: nothing recorded for them. */
  unrecorded: string[];
  /** Servers with `test: { skip: true }`: not started, no fingerprint (mcp.lock marks them `skipped`). */
  skipped: string[];
  /** Tool changes `--update` accepted, tool by tool. */
  accepted: { server: string; changes: ToolChange[] }[];
  /** The git imports `--update` named (or all, with no name): where each pin moved and what that changed. */
  imports?: ImportUpdate[];
}

export type LockEvent =
  /**
   * The git imports `--update` re-resolved; `launch` (when a pin moves) is what the
   * environment would start differently: the review a person reads before confirming.
   */
  | {
      readonly type: 'imports-updated';
      readonly environment: string;
      readonly updates: readonly ImportUpdate[];
      readonly launch?: readonly LaunchChange[];
    }
  | CheckEvent;

/** How lock talks to the person running it: it hears the events and answers the one question. */
export interface LockUi {
  on(event: LockEvent): void | Promise<void>;
  /** Resolves on yes; throws NOT_CONFIRMED otherwise. Asked only when a git import's pin moves. */
  confirm(question: string): Promise<void>;
}

/**
 * `mcpform lock [--update [NAME...]]`: loads mcp.yaml, moves the pins of the git imports
 * named (a moved profile is new code for this machine: reviewed and confirmed before any of
 * its servers starts; then the servers are completed, a moved profile's new ones recorded),
 * and completes or updates mcp.lock for the servers (`lockServers`).
 */
export async function runLock(world: World, req: LockRequest, ui: LockUi): Promise<LockResult> {
  let state = await loadState(world, req);
  const requested = Array.isArray(req.update) && req.update.length === 0 ? true : req.update;
  const { importUpdate, serverNames } = splitUpdateNames(
    state,
    requested === true ? true : requested && [...requested],
  );
  const declared = new Set(state.servers.map((s) => s.name));
  const unknown = requested === true ? [] : serverNames.filter((n) => !declared.has(n));
  if (unknown.length)
    throw new McpformError(
      'UNKNOWN_SERVER',
      `unknown server ${unknown.join(', ')} in environment '${state.environment}'; it has: ${[...declared].join(', ')}${importList(state)}`,
    );
  const moved = importUpdate
    ? await updateImports(world, state, importUpdate, (update) => loadState(world, { ...req, git: { update } }))
    : undefined;
  if (moved) {
    const pinsMove = moved.changes.some((c) => c.from !== c.to);
    const launch = pinsMove ? (await import('./launch-changes.js')).launchChanges(state, moved.state) : undefined;
    await ui.on({ type: 'imports-updated', environment: moved.state.environment, updates: moved.changes, launch });
    if (pinsMove)
      await ui.confirm(
        '\nMove these pins? mcp.lock will pin the new commits, and servers new to it start once to record their tools.',
      );
    state = moved.state;
  }
  // Only imports named: the servers are completed (a moved profile's new ones recorded), not updated.
  const update = requested === true ? true : serverNames.length ? serverNames : undefined;
  const result = await lockServers(world, state, { update, target: req.target }, (e) => ui.on(e));
  return moved ? { ...result, imports: moved.changes } : result;
}

/**
 * Completes mcp.lock (missing pins resolved, missing tool fingerprints recorded by a real
 * handshake); with `update`, re-resolves and re-records those servers. What can be recorded
 * is written; a failed handshake of a server asked for (by name, or all when none is named)
 * is then HEALTH_FAILED (the results in `data.checks`), of any other only reported (`unrecorded`).
 */
async function lockServers(
  world: World,
  state: DesiredState,
  req: { update?: true | readonly string[]; target?: string },
  listen?: CheckListener,
): Promise<LockResult> {
  const declared = new Set(state.servers.map((s) => s.name));
  const update = Array.isArray(req.update) && req.update.length === 0 ? true : req.update;
  if (Array.isArray(update)) {
    const unknown = update.filter((n) => !declared.has(n));
    if (unknown.length)
      throw new McpformError(
        'UNKNOWN_SERVER',
        `unknown server ${unknown.join(', ')} in environment '${state.environment}'; it has: ${[...declared].join(', ')}`,
      );
  }
  const open = openLock(state);
  await ensurePins(open, state, { update, world });
  const pinned = [...open.changed];

  const wanted = (name: string) => update === true || update?.includes(name) || !open.lock.servers[name]?.tools;
  // `test: { skip: true }`: never started here, so no fingerprint; mcp.lock says it was skipped.
  const skipped = state.servers.filter((s) => s.test.skip).map((s) => s.name);
  const probeNames = state.servers.filter((s) => !s.test.skip && wanted(s.name)).map((s) => s.name);
  const adapter = adapterFor(selectTargets(state.targets, req.target)[0]!.name);
  const pins = pinsFor(open, state);
  const specs = state.servers
    .filter((s) => probeNames.includes(s.name))
    .map((s) => specFromDesired(s, adapter, pins, world, dirname(state.file)));
  await verifyPinnedPackages(open, state, probeNames, world); // npx installs them: with the pinned integrity only
  const results = specs.length ? (await runChecks(specs, world, {}, listen)).results : [];
  const report = checkFingerprints(open, results, declared, probeNames);
  markSkipped(open, state);
  // What could be recorded is; a failed handshake only blocks the servers asked for by name
  // (or all of them, when none is named): a server merely being completed is reported.
  const failed = results.filter((r) => !r.ok || r.signIn); // sign-in needed: no tools to record
  const asked = Array.isArray(update) ? update : probeNames;
  const blocking = failed.filter((r) => asked.includes(r.server));
  const written = await saveLock(open, state, false, { world, create: true });
  if (blocking.length) {
    // The pins and fingerprints that could be taken are written; the failure is still an error.
    throw new McpformError(
      'HEALTH_FAILED',
      `cannot record the tools of ${blocking.map((r) => `${r.server}${r.signIn ? ` (it needs sign-in in ${r.signIn}; a token in headers lets mcpform list its tools)` : ''}`).join(', ')}: the handshake failed; ${written && report.recorded.length + pinned.length ? `mcp.lock records the rest (${[...report.recorded, ...pinned].join(', ')})` : 'nothing else was recorded'}`,
      { data: { checks: failed } },
    );
  }
  return {
    path: open.path,
    written,
    pinned,
    recorded: report.recorded,
    accepted: report.accepted,
    unrecorded: failed.map((r) => r.server),
    skipped,
  };
}

/** `skipped: true` on the servers with `test: { skip: true }`, and off the others. */
function markSkipped(open: OpenLock, state: DesiredState): void {
  for (const s of state.servers) {
    const want = s.test.skip ? true : undefined;
    if (open.lock.servers[s.name]?.skipped === want) continue;
    edit(open, s.name, { skipped: want });
    open.changed.push(`${s.name}: ${want ? 'skipped (test.skip)' : 'no longer skipped'}`);
  }
}

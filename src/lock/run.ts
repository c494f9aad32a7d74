import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { specFromDesired } from '../probe/specs.js';
import type { World } from '../world.js';
import type { ProbeResult, ProbeSpec } from '../probe/types.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { ToolChange } from './fingerprint.js';
import { verifyPinnedPackages } from './integrity.js';
import { checkFingerprints, ensurePins, openLock, pinsFor, saveLock } from './sync.js';

export interface LockRequest {
  /** `--update`: re-resolve and re-record these servers (true: all), accepting what changed. */
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
  /** Tool changes `--update` accepted, tool by tool. */
  accepted: { server: string; changes: ToolChange[] }[];
}

/**
 * `mcpform lock`: complete mcp.lock (missing pins resolved, missing tool fingerprints
 * recorded by a real handshake); with `update`, re-resolve and re-record those servers.
 * A failed handshake changes nothing (HEALTH_FAILED, the results in `data.checks`).
 */
export async function runLock(
  state: DesiredState,
  req: LockRequest,
  world: World,
  runChecks: (specs: ProbeSpec[]) => Promise<ProbeResult[]>,
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
  const probeNames = state.servers.filter((s) => wanted(s.name)).map((s) => s.name);
  const adapter = adapterFor(selectTargets(state.targets, req.target)[0]!.name);
  const pins = pinsFor(open, state);
  const specs = state.servers
    .filter((s) => probeNames.includes(s.name))
    .map((s) => specFromDesired(s, adapter, pins, world));
  await verifyPinnedPackages(open, state, probeNames, world); // npx installs them: with the pinned integrity only
  const results = specs.length ? await runChecks(specs) : [];
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    throw new McpformError(
      'HEALTH_FAILED',
      `cannot record the tools of ${failed.map((r) => r.server).join(', ')}: the handshake failed; mcp.lock was not changed`,
      { data: { checks: failed } },
    );
  }
  const report = checkFingerprints(open, results, declared, probeNames);
  const written = await saveLock(open, state, false, { world, create: true });
  return {
    path: open.path,
    written,
    pinned,
    recorded: report.recorded,
    accepted: report.accepted,
  };
}

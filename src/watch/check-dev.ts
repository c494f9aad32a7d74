import type { DesiredState } from '../config/types.js';
import { compareTools, describeToolChanges, fingerprintTools, type ToolChange } from '../lock/fingerprint.js';
import { checkFingerprints, openLock, pinsFor, saveLock } from '../lock/sync.js';
import type { ToolsLock } from '../lock/types.js';
import { renderFailures, summaryLine } from '../probe/report.js';
import { runProbes } from '../probe/run.js';
import { specFromDesired } from '../probe/specs.js';
import type { World } from '../world.js';
import { firstFailure, type ProbeResult } from '../probe/types.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import { visible } from '../util/sanitize.js';

/** One dev server's check after a save. */
export interface DevCheck {
  result: ProbeResult;
  /** Tool by tool, against the last passing check in this session, else mcp.lock. */
  changes: ToolChange[];
  /** What `changes` compares with; undefined when there was nothing to compare with. */
  since?: 'the last check' | 'mcp.lock';
  /** Whether mcp.lock now records these tools (a dev server's tools changed). */
  lockUpdated: boolean;
}

/**
 * Checks these dev servers (and only these) as the first target's client starts them, then
 * keeps mcp.lock current for them: a dev server is the user's own code, so its new tools
 * are recorded, and said so; watch never calls this for package, npx or url servers.
 * `last` holds each server's tools at its last passing check and is updated here.
 */
export async function checkDevServers(
  names: readonly string[],
  state: DesiredState,
  world: World,
  last: Map<string, ToolsLock>,
  target?: string,
): Promise<DevCheck[]> {
  const [spec] = selectTargets(state.targets, target);
  const adapter = adapterFor(spec!.name);
  const lock = openLock(state);
  const pins = pinsFor(lock, state);
  const servers = state.servers.filter((s) => names.includes(s.name));
  const results = await runProbes(
    servers.map((s) => specFromDesired(s, adapter, pins, world)),
    world,
  );
  const checks: DevCheck[] = results.map((result) => {
    if (!result.ok) return { result, changes: [], lockUpdated: false };
    const now = fingerprintTools(result.tools);
    const before = last.get(result.server);
    const locked = lock.lock.servers[result.server]?.tools;
    last.set(result.server, now);
    const base = before ?? locked;
    return {
      result,
      changes: base ? compareTools(base, now) : [],
      since: before ? 'the last check' : locked ? 'mcp.lock' : undefined,
      lockUpdated: false,
    };
  });
  const passed = results.filter((r) => r.ok);
  const report = checkFingerprints(
    lock,
    passed,
    new Set(state.declaredServers),
    passed.map((r) => r.server),
  );
  if (report.recorded.length) {
    await saveLock(lock, state, false, { world });
    for (const c of checks) if (report.recorded.includes(c.result.server)) c.lockUpdated = true;
  }
  return checks;
}

/**
 * The report of one check: the verdict and time, the tool changes in the rug-pull report's
 * words (lock/fingerprint.ts), whether mcp.lock took them, and on a failure the details with
 * the server's stderr tail.
 */
export async function renderDevCheck(c: DevCheck, afterSaveMs?: number): Promise<string> {
  const r = c.result;
  const took = afterSaveMs === undefined ? '' : `; ${(afterSaveMs / 1000).toFixed(1)} s after the save`;
  const failed = firstFailure(r);
  const lines = [
    failed
      ? `${visible(r.server)}: FAIL at ${failed.name} (${(r.durationMs / 1000).toFixed(1)} s${took})`
      : `${summaryLine(r)}${took}`,
  ];
  if (!r.ok) {
    lines.push(...renderFailures([r]).split('\n').slice(2)); // without its blank line and name
    return lines.join('\n');
  }
  if (c.changes.length) {
    lines.push(`  its tools changed since ${c.since}:`);
    for (const l of await describeToolChanges(c.changes)) lines.push(`    ${l}`);
  } else if (c.since)
    lines.push(`  tools unchanged since ${c.since}: ${r.tools.map((t) => visible(t.name)).join(', ') || '(none)'}`);
  else lines.push(`  tools: ${r.tools.map((t) => visible(t.name)).join(', ') || '(none)'}`);
  if (c.lockUpdated)
    lines.push(
      `  mcp.lock: recorded the ${c.since ? 'new ' : ''}tools of ${visible(r.server)} (a dev server: its code is yours)`,
    );
  return lines.join('\n');
}

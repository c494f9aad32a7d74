import type { DesiredState } from '../config/types.js';
import { McpformError, type ErrorData } from '../errors.js';
import { runApply, type ApplyRequest, type ApplyResult, type ApplyUi } from '../apply/run.js';
import { checkFingerprints, openLock, saveLock } from '../lock/sync.js';
import type { World } from '../world.js';
import { visible } from '../util/sanitize.js';

/**
 * watch's apply: the apply core, once more when its rug-pull check failed only on dev
 * servers (their entry and their code changed together): their new tools are recorded in
 * mcp.lock, said so, and the apply runs again. Any other server's change fails the apply,
 * as always. `current` reloads mcp.yaml: which servers are dev servers now.
 */
export async function applyWithDevTools(
  world: World,
  req: ApplyRequest,
  ui: ApplyUi & { print(text: string): void },
  current: () => Promise<{ state: DesiredState; dev: readonly string[] } | undefined>,
): Promise<ApplyResult> {
  try {
    return await runApply(world, req, ui);
  } catch (err) {
    const changed = fingerprintFailure(err);
    const now = changed && (await current());
    if (!now || !changed.toolChanges.every((c) => now.dev.includes(c.server))) throw err;
    const lock = openLock(now.state);
    const names = changed.toolChanges.map((c) => c.server);
    checkFingerprints(lock, changed.checks, new Set(now.state.declaredServers), names);
    await saveLock(lock, now.state, false, { world });
    ui.print(`mcp.lock: recorded the new tools of ${names.map(visible).join(', ')} (dev servers); applying again...`);
    return runApply(world, req, ui);
  }
}

/** The rug-pull failure inside an apply that was rolled back cleanly (else nothing to retry). */
function fingerprintFailure(err: unknown): ErrorData['FINGERPRINT_CHANGED'] | undefined {
  if (!(err instanceof McpformError)) return undefined;
  if (err.code === 'FINGERPRINT_CHANGED') return err.data?.toolChanges.length ? err.data : undefined;
  if (err.code !== 'ROLLED_BACK' || !err.data || err.data.cause.code !== 'FINGERPRINT_CHANGED') return undefined;
  const { checks, toolChanges, files } = err.data;
  if (files.some((f) => f.state === 'not restored')) return undefined;
  return checks && toolChanges?.length ? { checks, toolChanges } : undefined;
}

import { runApply, type ApplyUi } from '../apply/run.js';
import { DEFAULT_RECONCILE_INTERVAL_MS, type DesiredState } from '../config/types.js';
import { findConfig } from '../config/find.js';
import { McpformError } from '../errors.js';
import { projectId } from '../plan/build.js';
import { runPlan } from '../plan/run.js';
import { masker } from '../util/mask.js';
import type { World } from '../world.js';
import { narrowToDrift, splitDrift, type Drift } from './drift.js';
import { logEvent, previousStatus, writeProjectStatus, type ProjectStatus, type TargetStatus } from './record.js';

/** One pass, as asked for: the command's flags, or the agent's enrolled project. */
export interface ReconcileRequest {
  /** mcp.yaml (`-f`, or the enrolled file); else found from the cwd. */
  file?: string;
  environment?: string;
  target?: string;
  /** `--heal`: heal this time, whatever `reconcile.selfHeal` says. */
  heal?: boolean;
  /** Drifted entries not to heal now (the agent backs off from a client that fights it). */
  hold?: (target: string, server: string) => boolean;
  /** An error the caller will retry at once (a client file caught mid-write) is not recorded. */
  retried?: (err: unknown) => boolean;
  version: string;
}

/** What one pass found and did for one client file. */
export interface TargetOutcome {
  target: string;
  path: string;
  /** Owned entries found missing or changed (healed or not). */
  drift: Drift[];
  healed: string[];
  held: string[];
  pending: string[];
}

export interface ReconcileResult {
  file: string;
  environment: string;
  selfHeal: boolean;
  /** `reconcile.interval`: how often the agent passes besides on file changes. */
  intervalMs: number;
  targets: TargetOutcome[];
}

/** The drift a pass left in place: not healed (selfHeal off, held back, or failed). */
export function driftLeft(t: TargetOutcome): Drift[] {
  return t.drift.filter((d) => !t.healed.includes(d.server));
}

/** A pass that failed: what it found before, and the error (already recorded, masked). */
export class ReconcileFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly partial: ReconcileResult | undefined,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * One reconcile pass: plan every target, find the owned entries that are missing or changed
 * outside mcpform, and — with `reconcile.selfHeal` or `--heal` — put exactly those back
 * through apply (file locks, backup, surgical write, health checks, rollback). Hand-made and
 * other projects' entries are never touched, and nothing is pruned. The outcome is recorded
 * in the state dir (status.json, events.log).
 */
export async function reconcileOnce(world: World, req: ReconcileRequest, ui: ApplyUi): Promise<ReconcileResult> {
  let state: DesiredState | undefined;
  let result: ReconcileResult | undefined;
  const healedNow = new Map<string, string[]>();
  let file: string | undefined;
  try {
    // Found first, so a pass that fails later is still recorded under its project.
    file = projectId(await findConfig(req.file, world));
    const planned = await runPlan(world, { file, environment: req.environment, target: req.target });
    state = planned.state;
    const selfHeal = Boolean(req.heal || state.reconcile?.selfHeal);
    const targets: TargetOutcome[] = planned.targets.map((tp) => {
      const { drift, pending } = splitDrift(tp.plan, tp.ownership);
      const held = drift.filter((d) => req.hold?.(tp.adapter.name, d.server)).map((d) => d.server);
      return {
        target: tp.adapter.name,
        path: tp.plan.target.path,
        drift: [...drift],
        healed: [],
        held,
        pending: [...pending],
      };
    });
    result = {
      file: projectId(state.file),
      environment: state.environment,
      selfHeal,
      intervalMs: state.reconcile?.intervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      targets,
    };
    const toHeal = targets.some((t) => t.drift.length > t.held.length);
    if (selfHeal && toHeal) {
      // Planned again under the file locks: what is healed is what is drifted at the write.
      await runApply(
        world,
        {
          file: state.file,
          environment: state.environment,
          target: req.target,
          yes: true,
          version: req.version,
          narrow: (tp) => {
            const plan = narrowToDrift(tp.plan, tp.ownership, (s) => !req.hold?.(tp.adapter.name, s));
            healedNow.set(tp.adapter.name, [...plan.changes.map((c) => c.server)]);
            return plan;
          },
        },
        ui,
      );
      for (const t of targets) t.healed = healedNow.get(t.target) ?? [];
    }
    await record(world, file, result, state);
    return result;
  } catch (err) {
    if (!req.retried?.(err)) await record(world, file, result, state, err);
    throw new ReconcileFailure(err, result);
  }
}

async function record(
  world: World,
  found: string | undefined,
  result: ReconcileResult | undefined,
  state: DesiredState | undefined,
  err?: unknown,
): Promise<void> {
  const mask = masker(state?.servers.flatMap((s) => s.secrets) ?? []);
  const error = err === undefined ? undefined : mask(errorText(err));
  const file = result?.file ?? found ?? '(mcp.yaml not found)';
  const at = world.now().toISOString();
  const before = previousStatus(world, file);
  const targets: TargetStatus[] = (result?.targets ?? []).map((t) => {
    const prev = before?.targets.find((p) => p.target === t.target && p.path === t.path);
    const healed = (prev?.healed ?? 0) + t.healed.length;
    const status: TargetStatus = {
      target: t.target,
      path: t.path,
      state: error
        ? 'error'
        : t.held.length
          ? 'backing-off'
          : driftLeft(t).length
            ? 'drifted'
            : t.healed.length
              ? 'healed'
              : 'in-sync',
      drift: driftLeft(t),
      pending: t.pending,
      held: t.held,
      healed,
      ...(t.healed.length ? { lastHealedAt: at } : prev?.lastHealedAt ? { lastHealedAt: prev.lastHealedAt } : {}),
      ...(error ? { lastError: error } : {}),
      checkedAt: at,
    };
    if (t.healed.length)
      logEvent(world, { event: 'healed', project: file, target: t.target, path: t.path, servers: t.healed });
    if (t.drift.length)
      logEvent(world, {
        event: 'drift',
        project: file,
        target: t.target,
        path: t.path,
        drift: t.drift,
        healed: t.healed,
      });
    return status;
  });
  if (error) logEvent(world, { event: 'error', project: file, message: error });
  const next: ProjectStatus = {
    file,
    ...(state ? { environment: state.environment } : {}),
    selfHeal: result?.selfHeal ?? false,
    checkedAt: at,
    ...(error && !result ? { lastError: error } : {}),
    targets: targets.length ? targets : (before?.targets ?? []),
  };
  try {
    await writeProjectStatus(world, next);
  } catch (e) {
    // The pass itself succeeded or failed on its own; a state dir that cannot hold the record is said once here.
    if (err === undefined) throw e;
  }
}

function errorText(err: unknown): string {
  if (err instanceof McpformError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

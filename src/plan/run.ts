import { loadState } from '../lock/load-state.js';
import type { DesiredState } from '../config/types.js';
import type { OpenLock } from '../lock/types.js';
import { lockedPins } from '../lock/pins.js';
import type { Pins } from '../targets/types.js';
import type { World } from '../world.js';
import { buildPlans, type TargetPlan } from './build.js';

/** What the user asked to plan: the flags, nothing read from the process. */
export interface PlanRequest {
  /** mcp.yaml (`-f`); else MCPFORM_FILE, else found upward from the cwd. */
  file?: string;
  /** The environment name (`-e`). */
  environment?: string;
  target?: string;
  prune?: boolean;
  frozenLockfile?: boolean;
  /** Fetch git imports, to tell whether their refs moved past mcp.lock (`plan --refresh`). */
  refresh?: boolean;
}

export interface PlanRun {
  state: DesiredState;
  targets: TargetPlan[];
}

/** How apply runs the same sequence inside its guard. */
export interface PlanStages {
  /** After mcp.yaml is loaded, before anything is read to plan from: apply locks the client files here. */
  loaded?(state: DesiredState): Promise<void>;
  /** Every wait on the outside world goes through this (apply: its guard's race, so a signal acts at once). */
  wait?<T>(p: Promise<T>): Promise<T>;
  /**
   * mcp.lock stays open, its new pins unsaved (apply writes it only once everything passed);
   * without it, new pins are written now (plan), or refused with --frozen-lockfile.
   */
  keepLockOpen?: boolean;
  /** One sentence per git import whose ref moved past its pin in mcp.lock, said before the plan is made. */
  notice?(text: string): void;
}

/**
 * load -> pins -> plan: mcp.yaml and its imports, the versions mcp.lock pins (missing ones
 * resolved), then one plan per target from the live files and ownership. The one sequence
 * `plan` and `apply` share.
 */
export async function runPlan(
  world: World,
  req: PlanRequest,
  stages: PlanStages & { keepLockOpen: true },
): Promise<PlanRun & { lock: OpenLock }>;
export async function runPlan(world: World, req: PlanRequest, stages?: PlanStages): Promise<PlanRun>;
export async function runPlan(
  world: World,
  req: PlanRequest,
  stages: PlanStages = {},
): Promise<PlanRun & { lock?: OpenLock }> {
  const wait = stages.wait ?? (<T>(p: Promise<T>) => p);
  const git = { frozen: req.frozenLockfile, refresh: req.refresh };
  const state = await wait(loadState(world, { file: req.file, environment: req.environment, git }));
  await stages.loaded?.(state);
  let lock: OpenLock | undefined;
  let pins: Pins;
  if (stages.keepLockOpen) {
    const { ensurePins, openLock, pinsFor } = await import('../lock/sync.js');
    lock = openLock(state);
    await wait(ensurePins(lock, state, { frozen: req.frozenLockfile, world }));
    pins = pinsFor(lock, state);
  } else {
    pins = await wait(lockedPins(state, Boolean(req.frozenLockfile), world));
  }
  if (stages.notice && state.gitImports?.some((g) => g.moved))
    for (const note of (await import('../lock/git-imports.js')).movedNotes(state)) stages.notice(note);
  const targets = buildPlans(state, world, { target: req.target, prune: req.prune, pins });
  return { state, targets, lock };
}

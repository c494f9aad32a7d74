import { writeFileSync } from 'node:fs';
import { buildPlans } from '../../plan/build.js';
import { newSalt, renderPlanJson } from '../../plan/render-json.js';
import { renderPlanText } from '../../plan/render-text.js';
import { ExitCode } from '../../errors.js';
import { lockedPins } from '../../lock/pins.js';
import { loadContextState, type Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { VERSION } from '../../version.js';

export interface PlanFlags {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  prune?: boolean;
  frozenLockfile?: boolean;
  refresh?: boolean;
}

export default async function plan(ctx: Context, flags: PlanFlags): Promise<void> {
  const json = flags.json || ctx.opts.json;
  const state = await loadContextState(ctx, { frozen: flags.frozenLockfile, refresh: flags.refresh });
  const pins = await lockedPins(state, Boolean(flags.frozenLockfile), ctx.world);
  if (state.gitImports?.some((g) => g.moved)) {
    const { movedNotes } = await import('../../lock/git-imports.js');
    for (const note of movedNotes(state)) (json ? printErr : print)(note);
  }
  const targets = buildPlans(state, ctx.world, { target: ctx.opts.target, prune: flags.prune, pins });
  const plans = targets.map((t) => t.plan);
  if (json || flags.out) {
    const doc = renderPlanJson(plans, {
      version: VERSION,
      file: state.file,
      sourceHash: state.sourceHash,
      environment: state.environment,
      salt: newSalt(),
      createdAt: ctx.world.now().toISOString(),
      prune: flags.prune,
    });
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    if (json) printJson(doc);
  }
  if (!json) {
    print(await renderPlanText(plans, ctx.colors));
    if (flags.out) print(`Saved the plan to ${flags.out}. Apply exactly this plan with: mcpform apply ${flags.out}`);
  }
  if (flags.detailedExitcode && plans.some((p) => p.changes.length > 0)) throw new ExitCode(2);
}

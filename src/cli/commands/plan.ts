import { writeFileSync } from 'node:fs';
import { newSalt, renderPlanJson } from '../../plan/render-json.js';
import { renderPlanText } from '../../plan/render-text.js';
import { runPlan } from '../../plan/run.js';
import { ExitCode } from '../../errors.js';
import type { Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { VERSION } from '../../version.js';
import { shellCommand } from '../../util/shell-quote.js';

export interface PlanFlags {
  out?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  prune?: boolean;
  frozenLockfile?: boolean;
  refresh?: boolean;
}

/** `mcpform plan`: runs the core (src/plan/run.ts), prints the plan as text or JSON, saves it with --out. */
export default async function plan(ctx: Context, flags: PlanFlags): Promise<void> {
  const json = flags.json || ctx.opts.json;
  const world = ctx.world;
  const { file, target } = ctx.opts;
  const run = await runPlan(
    world,
    { file, environment: ctx.environment, target, ...flags },
    { notice: (note) => (json ? printErr : print)(note) },
  );
  const plans = run.targets.map((t) => t.plan);
  if (json || flags.out) {
    const { state } = run;
    const doc = renderPlanJson(plans, {
      version: VERSION,
      file: state.file,
      sourceHash: state.sourceHash,
      environment: state.environment,
      salt: newSalt(),
      createdAt: world.now().toISOString(),
      prune: flags.prune,
    });
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    if (json) printJson(doc);
  }
  if (!json) {
    print(await renderPlanText(plans, ctx.colors));
    if (flags.out)
      print(
        `Saved the plan to ${flags.out}. Apply exactly this plan with: ${shellCommand(['mcpform', 'apply', flags.out], { platform: ctx.world.platform })}`,
      );
  }
  if (flags.detailedExitcode && plans.some((p) => p.changes.length > 0)) throw new ExitCode(2);
}

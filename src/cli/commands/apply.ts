import { applyDocument, renderApplyText } from '../../apply/report.js';
import { runApply } from '../../apply/run.js';
import { renderPlanText } from '../../plan/render-text.js';
import { renderFailures } from '../../probe/report.js';
import { checksBehind, firstFailure } from '../../probe/types.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { runWithProgress } from '../progress.js';
import { VERSION } from '../../version.js';

export interface ApplyFlags {
  yes?: boolean;
  test?: boolean; // commander: --no-test sets test=false
  prune?: boolean;
  allowEmpty?: boolean;
  frozenLockfile?: boolean;
}

/** Reads the flags, runs the core (src/apply/run.ts), prints. */
export default async function apply(ctx: Context, planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  const json = ctx.opts.json;
  try {
    const result = await runApply(
      { planFile, file: ctx.opts.file, environment: ctx.environment, target: ctx.opts.target, ...flags },
      { ...ctx.world, version: VERSION },
      {
        showPlan: async (plans) => {
          if (!json) print(await renderPlanText(plans, ctx.colors));
        },
        confirm: (question) => confirm(question, flags.yes),
        runChecks: (specs, verdict) => runWithProgress(specs, ctx.world, { quiet: json, display: verdict }),
        notice: (text) => {
          if (!json) printErr(text);
        },
      },
    );
    if (json) printJson(applyDocument(result));
    else if (result.journals.length) print(renderApplyText(result, ctx.colors));
  } catch (err) {
    const checks = checksBehind(err);
    // The error message names each server's first failure: print only what it leaves out
    // (warnings, the hint, the stderr tail), so each cause appears once.
    const rest = checks?.map((r) => ({ ...r, checks: r.checks.filter((c) => c !== firstFailure(r)) }));
    const details = rest && !json ? renderFailures(rest) : '';
    if (details) printErr(details.trimStart());
    throw err;
  }
}

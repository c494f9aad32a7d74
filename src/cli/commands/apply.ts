import { applyDocument, renderApplyText } from '../../apply/report.js';
import { runApply } from '../../apply/run.js';
import { applyView } from '../apply-view.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';
import { VERSION } from '../../version.js';

export interface ApplyFlags {
  yes?: boolean;
  test?: boolean; // commander: --no-test sets test=false
  prune?: boolean;
  allowEmpty?: boolean;
  frozenLockfile?: boolean;
}

/** Reads the flags, runs the core (src/apply/run.ts), shows its events, prints the result. */
export default async function apply(ctx: Context, planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  const json = ctx.opts.json;
  const { file, target } = ctx.opts;
  const result = await runApply(
    ctx.world,
    { planFile, file, environment: ctx.environment, target, ...flags, version: VERSION },
    {
      on: applyView(ctx.world, { colors: ctx.colors, quiet: json, failureDetails: true }),
      confirm: (question) => confirm(question, flags.yes),
    },
  );
  if (json) printJson(applyDocument(result));
  else if (result.journals.length) print(renderApplyText(result, ctx.colors));
}

import { reconcileOnce, ReconcileFailure } from '../../reconcile/pass.js';
import { reconcileDocument, renderReconcileText } from '../../reconcile/render.js';
import { applyView } from '../apply-view.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';
import { VERSION } from '../../version.js';

/** `mcpform reconcile [--heal] [--json]`: one pass (src/reconcile/pass.ts), printed. */
export default async function reconcile(ctx: Context, flags: { heal?: boolean; json?: boolean }): Promise<void> {
  const json = flags.json || ctx.opts.json;
  try {
    const result = await reconcileOnce(
      ctx.world,
      {
        file: ctx.opts.file,
        environment: ctx.environment,
        target: ctx.opts.target,
        heal: flags.heal,
        version: VERSION,
      },
      // The heal is an apply: its plan and checks show as apply's do.
      {
        on: applyView(ctx.world, { colors: ctx.colors, quiet: json, failureDetails: true }),
        confirm: async () => undefined,
      },
    );
    if (json) printJson(reconcileDocument(result));
    else print(renderReconcileText(result, ctx.colors));
  } catch (err) {
    // The failure is recorded; the command reports it as any other (exit 1, --json error document).
    throw err instanceof ReconcileFailure ? err.error : err;
  }
}

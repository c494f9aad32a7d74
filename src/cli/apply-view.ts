import type { ApplyEvent } from '../apply/events.js';
import { renderPlanText } from '../plan/render-text.js';
import { renderFailures } from '../probe/report.js';
import { firstFailure } from '../probe/types.js';
import type { Colors } from '../util/colors.js';
import type { World } from '../world.js';
import { print, printErr } from './output.js';
import { progressView } from './progress.js';

/** How the terminal shows an apply (apply, watch) from its events; nothing but the result with --json. */
export function applyView(
  world: Pick<World, 'env'>,
  opts: {
    colors: Colors;
    quiet?: boolean;
    /** After a rollback, the failed checks' details that the error message leaves out. */
    failureDetails?: boolean;
  },
): (event: ApplyEvent) => Promise<void> {
  const progress = progressView(world, { quiet: opts.quiet });
  return async (event) => {
    if (opts.quiet) return;
    switch (event.type) {
      case 'planned':
        return print(await renderPlanText(event.plans, opts.colors));
      case 'notice':
        return printErr(event.text);
      case 'rolled-back': {
        if (!opts.failureDetails) return;
        // The error message names each server's first failure: print only what it leaves out
        // (warnings, the hint, the stderr tail), so each cause appears once.
        const rest = event.checks.map((r) => ({ ...r, checks: r.checks.filter((c) => c !== firstFailure(r)) }));
        const details = renderFailures(rest);
        if (details) printErr(details.trimStart());
        return;
      }
      default:
        return progress(event);
    }
  };
}

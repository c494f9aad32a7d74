import { renderApplyText } from '../../apply/report.js';
import { McpformError } from '../../errors.js';
import { renderPlanText } from '../../plan/render-text.js';
import { startWatch } from '../../watch/session.js';
import type { Context } from '../context.js';
import { print, printErr } from '../output.js';
import { runWithProgress } from '../progress.js';
import { reportError } from '../report-error.js';
import { VERSION } from '../../version.js';

export interface WatchFlags {
  test?: boolean;
  prune?: boolean;
  debounce?: string;
  restartClient?: boolean;
}

/** `mcpform watch`: the loop lives in src/watch/session.ts; this prints and waits for Ctrl-C. */
export default async function watch(ctx: Context, flags: WatchFlags): Promise<void> {
  const debounceMs = Number(flags.debounce ?? 300);
  if (!Number.isFinite(debounceMs) || debounceMs < 0)
    throw new McpformError('USAGE', `--debounce takes milliseconds, not '${flags.debounce}'`, {
      hint: 'for example: mcpform watch --debounce 300',
    });
  const session = await startWatch(
    {
      file: ctx.opts.file,
      environment: ctx.environment,
      target: ctx.opts.target,
      test: flags.test,
      prune: flags.prune,
      debounceMs,
      restartClient: flags.restartClient,
      uid: process.getuid?.(),
    },
    { ...ctx.world, version: VERSION },
    {
      showPlan: async (plans) => print(await renderPlanText(plans, ctx.colors)),
      confirm: async () => undefined,
      runChecks: (specs) => runWithProgress(specs, ctx.world),
      notice: (text) => printErr(text),
      print: (text) => print(text),
      applied: (result) => {
        if (result.journals.length) print(renderApplyText(result, ctx.colors));
      },
      reportError: (err) => reportError(err),
    },
  );
  try {
    await session.stopped;
  } finally {
    await session.close();
  }
}

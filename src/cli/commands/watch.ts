import { renderApplyText } from '../../apply/report.js';
import { McpformError } from '../../errors.js';
import { startWatch } from '../../watch/session.js';
import { applyView } from '../apply-view.js';
import type { Context } from '../context.js';
import { print, printErr } from '../output.js';
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
  const { file, target } = ctx.opts;
  const { test, prune, restartClient } = flags;
  const session = await startWatch(
    ctx.world,
    {
      file,
      environment: ctx.environment,
      target,
      test,
      prune,
      debounceMs,
      restartClient,
      uid: process.getuid?.(),
      version: VERSION,
    },
    {
      on: applyView(ctx.world, { colors: ctx.colors }),
      confirm: async () => undefined,
      print: (text) => print(text),
      applied: (result) => {
        if (result.journals.length) print(renderApplyText(result, ctx.colors));
      },
      reportError: (err) => reportError(err),
    },
  );
  // A signal ends the process (src/cli/signals.ts, after apply's guard has restored the files):
  // the last line says the loop is over, not whatever the last change printed.
  const bye = (code: number) => printErr(`Stopped watching${code >= 128 ? ` (signal, exit ${code})` : ''}.`);
  process.once('exit', bye);
  try {
    await session.stopped;
  } finally {
    await session.close();
  }
}

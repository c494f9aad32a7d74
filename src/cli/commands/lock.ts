import { renderLaunchChanges } from '../../lock/launch-changes.js';
import { renderLockText } from '../../lock/report.js';
import { runLock, type LockEvent } from '../../lock/run.js';
import { renderImportUpdates } from '../../lock/update-imports.js';
import { renderFailures } from '../../probe/report.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';
import { lockDocument } from '../documents.js';
import { print, printErr, printJson } from '../output.js';
import { progressView } from '../progress.js';

/** `mcpform lock [--update [NAME...]] [--yes]`: reads the flags, runs the core (src/lock/run.ts), prints. */
export default async function lock(ctx: Context, flags: { update?: true | string[]; yes?: boolean }): Promise<void> {
  const json = ctx.opts.json;
  const progress = progressView(ctx.world, { quiet: json });
  const on = async (event: LockEvent) => {
    if (event.type === 'imports-updated') {
      const lines = renderImportUpdates(event.updates);
      // The review of a moved pin goes to the terminal even with --json (on stderr there).
      if (event.launch)
        for (const l of [...lines, ...renderLaunchChanges(event.environment, event.launch)])
          (json ? printErr : print)(l);
      else if (!json) for (const l of lines) print(l);
      return;
    }
    await progress(event);
    // The error message names the servers only: their causes, once.
    const failed = event.type === 'checks-finished' ? event.results.filter((r) => !r.ok) : [];
    if (failed.length && !json) printErr(renderFailures(failed).trimStart());
  };
  const hint = 're-run with --yes to move the pins without asking, once you have read the review';
  const { file, target } = ctx.opts;
  const req = { file, environment: ctx.environment, target, update: flags.update };
  const result = await runLock(ctx.world, req, { on, confirm: (question) => confirm(question, flags.yes, hint) });
  if (json) printJson(lockDocument(result));
  else for (const line of await renderLockText(result)) print(line);
}

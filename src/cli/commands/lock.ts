import { McpformError } from '../../errors.js';
import { renderToolChanges } from '../../lock/report.js';
import { runLock } from '../../lock/run.js';
import { renderFailures } from '../../probe/report.js';
import type { ProbeResult } from '../../probe/types.js';
import { loadContextState, type Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { runWithProgress } from '../progress.js';

/** `mcpform lock [--update [SERVER...]]`: reads the flags, runs the core (src/lock/run.ts), prints. */
export default async function lock(ctx: Context, flags: { update?: true | string[] }): Promise<void> {
  const state = await loadContextState(ctx);
  const json = ctx.opts.json;
  let result;
  try {
    result = await runLock(state, { update: flags.update, target: ctx.opts.target }, ctx, (specs) =>
      runWithProgress(specs, { quiet: json }),
    );
  } catch (err) {
    const checks = err instanceof McpformError ? (err.data?.checks as ProbeResult[] | undefined) : undefined;
    if (checks && !json) printErr(renderFailures(checks).trimStart());
    throw err;
  }
  if (json)
    return printJson({
      formatVersion: 1,
      path: result.path,
      written: result.written,
      pinned: result.pinned,
      recorded: result.recorded,
    });
  for (const p of result.pinned) print(`pinned ${p}`);
  if (result.accepted.length) print(`accepted tool changes:\n${await renderToolChanges(result.accepted)}`);
  const accepted = new Set(result.accepted.map((a) => a.server));
  for (const s of result.recorded.filter((s) => !accepted.has(s))) print(`recorded the tools of ${s}`);
  print(result.written ? `Wrote ${result.path}.` : `${result.path} is up to date.`);
}

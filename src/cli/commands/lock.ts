import { McpformError } from '../../errors.js';
import { renderToolChanges } from '../../lock/report.js';
import { runLock } from '../../lock/run.js';
import { renderFailures } from '../../probe/report.js';
import { checksBehind } from '../../probe/types.js';
import { confirm } from '../confirm.js';
import { loadContextState, type Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { runWithProgress } from '../progress.js';

/**
 * `mcpform lock [--update [SERVER...]] [--yes]`: reads the flags, runs the core (src/lock/run.ts),
 * prints. A git import whose pin moves is reviewed and confirmed before any server starts.
 */
export default async function lock(ctx: Context, flags: { update?: true | string[]; yes?: boolean }): Promise<void> {
  let state = await loadContextState(ctx);
  const requested = Array.isArray(flags.update) && flags.update.length === 0 ? true : flags.update;
  // A name is a server of the environment, or a git import (its key, URL or path).
  const imports = await import('./lock-imports.js');
  const { importUpdate, serverNames } = imports.splitUpdateNames(state, requested);
  const declared = new Set(state.servers.map((s) => s.name));
  const unknown = requested === true ? [] : serverNames.filter((n) => !declared.has(n));
  if (unknown.length)
    throw new McpformError(
      'UNKNOWN_SERVER',
      `unknown server ${unknown.join(', ')} in environment '${state.environment}'; it has: ${[...declared].join(', ')}${imports.importList(state)}`,
    );
  const json = ctx.opts.json;
  const moved = importUpdate ? await imports.updateImports(ctx, state, importUpdate) : undefined;
  // A moved profile is new code for this machine: review it before anything of it runs.
  if (moved && moved.changes.some((c) => c.from !== c.to)) {
    const { launchChanges, renderLaunchChanges } = await import('../../lock/launch-changes.js');
    const review = [
      ...imports.renderImportUpdates(moved.changes),
      ...renderLaunchChanges(moved.state.environment, launchChanges(state, moved.state)),
    ];
    for (const line of review) (json ? printErr : print)(line);
    await confirm(
      '\nMove these pins? mcp.lock will pin the new commits, and servers new to it start once to record their tools.',
      flags.yes,
      're-run with --yes to move the pins without asking, once you have read the review',
    );
  } else if (moved && !json) for (const line of imports.renderImportUpdates(moved.changes)) print(line);
  if (moved) state = moved.state;
  // Only imports named: the servers are completed (a moved profile's new ones recorded), not updated.
  const update = requested === true ? true : serverNames.length ? serverNames : undefined;
  let result;
  try {
    result = await runLock(state, { update, target: ctx.opts.target }, ctx.world, (specs) =>
      runWithProgress(specs, ctx.world, { quiet: json }),
    );
  } catch (err) {
    const checks = checksBehind(err);
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
      ...(moved ? { imports: moved.changes } : {}),
    });
  const shown = (p: string) => moved?.changes.some((c) => p.startsWith(`${c.key}: `));
  for (const p of result.pinned) if (!shown(p)) print(`pinned ${p}`);
  if (result.accepted.length) print(`accepted tool changes:\n${await renderToolChanges(result.accepted)}`);
  const accepted = new Set(result.accepted.map((a) => a.server));
  for (const s of result.recorded.filter((s) => !accepted.has(s))) print(`recorded the tools of ${s}`);
  print(result.written ? `Wrote ${result.path}.` : `${result.path} is up to date.`);
}

import { McpformError } from '../../errors.js';
import { compareTools, fingerprintTools } from '../../lock/fingerprint.js';
import { renderToolChanges } from '../../lock/report.js';
import { checkFingerprints, ensurePins, openLock, pinsFor, saveLock } from '../../lock/sync.js';
import { renderFailures } from '../../probe/report.js';
import { specFromDesired } from '../../probe/specs.js';
import { adapterFor, selectTargets } from '../../targets/index.js';
import { loadContextState, type Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';
import { runWithProgress } from '../progress.js';

/**
 * `mcpform lock`: complete mcp.lock (missing pins resolved, missing tool fingerprints
 * recorded by a real handshake). `--update [SERVER...]`: re-resolve and re-record those
 * (or all), accepting whatever changed.
 */
export default async function lock(ctx: Context, flags: { update?: true | string[] }): Promise<void> {
  let state = await loadContextState(ctx);
  const requested = Array.isArray(flags.update) && flags.update.length === 0 ? true : flags.update;
  // A name is a server of the environment, or a git import (its key, URL or path).
  const imports = await import('./lock-imports.js');
  const { importUpdate, serverNames } = imports.splitUpdateNames(state, requested);
  const declared = new Set(state.servers.map((s) => s.name));
  const update = requested === true ? true : serverNames;
  if (Array.isArray(update)) {
    const unknown = update.filter((n) => !declared.has(n));
    if (unknown.length)
      throw new McpformError(
        'UNKNOWN_SERVER',
        `unknown server ${unknown.join(', ')} in environment '${state.environment}'; it has: ${[...declared].join(', ')}${imports.importList(state)}`,
      );
  }
  const moved = importUpdate ? await imports.updateImports(ctx, state, importUpdate) : undefined;
  if (moved) state = moved.state;
  const open = openLock(state);
  await ensurePins(open, state, { update });
  const pinned = [...open.changed];

  const probeNames = state.servers
    .filter((s) => update === true || update?.includes(s.name) || !open.lock.servers[s.name]?.tools)
    .map((s) => s.name);
  const adapter = adapterFor(selectTargets(state.targets, ctx.opts.target)[0]!.name);
  const pins = pinsFor(open, state);
  const specs = state.servers
    .filter((s) => probeNames.includes(s.name))
    .map((s) => specFromDesired(s, adapter, pins, ctx));
  const results = specs.length ? await runWithProgress(specs, { quiet: ctx.opts.json }) : [];
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    if (!ctx.opts.json) printErr(renderFailures(failed).trimStart());
    throw new McpformError(
      'HEALTH_FAILED',
      `cannot record the tools of ${failed.map((r) => r.server).join(', ')}: the handshake failed; mcp.lock was not changed`,
    );
  }
  // What --update accepts, named tool by tool before it is overwritten.
  const toolChanges = results.flatMap((r) => {
    const locked = open.lock.servers[r.server]?.tools;
    const changes = locked ? compareTools(locked, fingerprintTools(r.tools)) : [];
    return changes.length ? [{ server: r.server, changes }] : [];
  });
  const hadTools = new Set(results.filter((r) => open.lock.servers[r.server]?.tools).map((r) => r.server));
  // The servers of the environment as it is now (a moved profile may have added some).
  const report = checkFingerprints(open, results, new Set(state.servers.map((s) => s.name)), probeNames);
  const wrote = await saveLock(open, state);
  if (ctx.opts.json)
    return printJson({
      formatVersion: 1,
      path: open.path,
      written: wrote,
      pinned,
      recorded: report.recorded,
      ...(moved ? { imports: moved.changes } : {}),
    });
  if (moved) for (const line of imports.renderImportUpdates(moved.changes)) print(line);
  const shown = (p: string) => moved?.changes.some((c) => p.startsWith(`${c.key}: `));
  for (const p of pinned) if (!shown(p)) print(`pinned ${p}`);
  if (toolChanges.length) print(`accepted tool changes:\n${await renderToolChanges(toolChanges)}`);
  for (const s of report.recorded.filter((s) => !hadTools.has(s))) print(`recorded the tools of ${s}`);
  print(wrote ? `Wrote ${open.path}.` : `${open.path} is up to date.`);
}

import { dirname } from 'node:path';
import { findConfig } from '../../config/find.js';
import type { DesiredState } from '../../config/types.js';
import { ExitCode, invalidConfig, McpformError } from '../../errors.js';
import { renderDoctorText } from '../../doctor/render.js';
import type { DoctorReport } from '../../doctor/run.js';
import { adapterFor, clientCatalog } from '../../targets/index.js';
import { readGitPins } from '../../lock/git-pins.js';
import { errorDocument } from '../report-error.js';
import type { Context } from '../context.js';
import { print, printErr, printJson } from '../output.js';

export default async function doctor(ctx: Context, servers: string[]): Promise<void> {
  let state: DesiredState | undefined;
  let loadError: McpformError | undefined;
  try {
    const file = await findConfig(ctx.opts.file, ctx.world);
    const { loadDesiredPartial } = await import('../../config/load.js');
    // One unset variable must not hide every other server from the diagnosis.
    const loaded = await loadDesiredPartial(file, {
      environment: ctx.environment,
      world: ctx.world,
      clients: clientCatalog,
      gitPins: readGitPins,
    });
    state = loaded.state;
    if (loaded.problems.length) loadError = invalidConfig(loaded.problems);
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    // Without a usable mcp.yaml the client's own file can still be diagnosed.
    if (err.code !== 'CONFIG_NOT_FOUND') loadError = err;
  }
  const { runDoctor } = await import('../../doctor/run.js');
  const targets = await doctorTargets(ctx, state);
  const reports: DoctorReport[] = [];
  for (const target of targets) {
    if (!ctx.opts.json) printErr(`Checking the ${target} config and starting each server as the client would...`);
    const first = reports.length === 0;
    reports.push(
      await runDoctor({
        state,
        loadError: first ? loadError : undefined,
        servers,
        target,
        world: ctx.world,
      }),
    );
  }
  const errors = reports.flatMap((r) => r.findings).filter((f) => f.severity === 'error');
  // Exit 1 with --json: the report, and the `error` every failing --json document carries.
  const failure =
    errors.length > 0
      ? new McpformError('PROBLEMS_FOUND', `doctor found ${errors.length} problem${errors.length === 1 ? '' : 's'}`, {
          hint: 'each finding above says its cause and fix',
        })
      : undefined;
  const error = failure ? { error: errorDocument(failure).error } : {};
  // One target: the report itself (as before --target existed); all: one report per client.
  if (ctx.opts.json)
    printJson(
      ctx.opts.target === 'all'
        ? { formatVersion: 1, targets: reports, ...error }
        : { formatVersion: 1, ...reports[0], ...error },
    );
  else
    print(
      reports
        .map(
          (r) =>
            (reports.length > 1 ? `${ctx.colors.bold(`Target ${r.target}:`)}\n` : '') + renderDoctorText(r, ctx.colors),
        )
        .join('\n\n'),
    );
  if (failure) throw new ExitCode(1);
}

/**
 * --target NAME: that client (any registered one); --target all: every client found on this
 * machine plus those mcp.yaml declares; neither: the first declared target (like `test --live`),
 * else Claude Desktop.
 */
async function doctorTargets(ctx: Context, state: DesiredState | undefined): Promise<string[]> {
  const only = ctx.opts.target;
  if (only && only !== 'all') return [adapterFor(only).name];
  if (!only) return [state?.targets[0]?.name ?? 'claude-desktop'];
  const { discoverClients } = await import('../../targets/discover.js');
  const found = discoverClients({
    world: ctx.world,
    configDir: state ? dirname(state.file) : ctx.world.cwd,
    declared: state?.targets,
  });
  const names = [...new Set([...(state?.targets ?? []).map((t) => t.name), ...found.map((f) => f.client)])];
  return names.length ? names : ['claude-desktop'];
}

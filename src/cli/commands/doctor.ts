import { findConfig } from '../../config/find.js';
import type { DesiredState } from '../../config/types.js';
import { ExitCode, invalidConfig, McpformError } from '../../errors.js';
import { renderDoctorText } from '../../doctor/render.js';
import { errorDocument } from '../report-error.js';
import type { Context } from '../context.js';
import { print, printErr, printJson, exitOnInterrupt } from '../output.js';

export default async function doctor(ctx: Context, servers: string[]): Promise<void> {
  let state: DesiredState | undefined;
  let loadError: McpformError | undefined;
  try {
    const file = await findConfig(ctx.opts.file, ctx.cwd, ctx.processEnv);
    const { loadDesiredPartial } = await import('../../config/load.js');
    // One unset variable must not hide every other server from the diagnosis.
    const loaded = await loadDesiredPartial(file, {
      environment: ctx.environment,
      displayBase: ctx.cwd,
      env: ctx.processEnv,
    });
    state = loaded.state;
    if (loaded.problems.length) loadError = invalidConfig(loaded.problems);
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    // Without a usable mcp.yaml the client's own file can still be diagnosed.
    if (err.code !== 'CONFIG_NOT_FOUND') loadError = err;
  }
  exitOnInterrupt();
  if (!ctx.opts.json) printErr('Checking the Claude Desktop config and starting each server as the client would...');
  const { runDoctor } = await import('../../doctor/run.js');
  const report = await runDoctor({ state, loadError, servers, env: ctx.processEnv, platform: ctx.platform });
  const errors = report.findings.filter((f) => f.severity === 'error');
  // Exit 1 with --json: the report, and the `error` every failing --json document carries.
  const failure =
    errors.length > 0
      ? new McpformError('PROBLEMS_FOUND', `doctor found ${errors.length} problem${errors.length === 1 ? '' : 's'}`, {
          hint: 'each finding above says its cause and fix',
        })
      : undefined;
  if (ctx.opts.json)
    printJson({ formatVersion: 1, ...report, ...(failure ? { error: errorDocument(failure).error } : {}) });
  else print(renderDoctorText(report, ctx.colors));
  if (failure) throw new ExitCode(1);
}

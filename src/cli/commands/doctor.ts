import { dirname } from 'node:path';
import { findConfig } from '../../config/find.js';
import type { DesiredState } from '../../config/types.js';
import { ExitCode, invalidConfig, McpformError } from '../../errors.js';
import { resolveContext } from '../../targets/define.js';
import { adapterFor } from '../../targets/index.js';
import type { Context } from '../context.js';
import { print, printErr, printJson, exitOnInterrupt } from '../output.js';

export default async function doctor(ctx: Context, servers: string[]): Promise<void> {
  let state: DesiredState | undefined;
  let loadError: McpformError | undefined;
  try {
    const file = await findConfig(ctx.opts.file, ctx.cwd);
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
  const { runDoctor } = await import('../../doctor/run.js');
  const targets = await doctorTargets(ctx, state);
  const reports = [];
  for (const target of targets) {
    if (!ctx.opts.json) printErr(`Checking the ${target} config and starting each server as the client would...`);
    reports.push(await runDoctor({ state, loadError: reports.length ? undefined : loadError, servers, target }));
  }
  const findings = reports.flatMap((r) => r.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (ctx.opts.json) {
    // One target: the report itself (as before --target existed); all: one report per client.
    printJson(ctx.opts.target === 'all' ? { formatVersion: 1, targets: reports } : { formatVersion: 1, ...reports[0] });
  } else {
    const c = ctx.colors;
    for (const report of reports) {
      if (reports.length > 1) print(c.bold(`Target ${report.target}:`));
      print(`Config: ${report.configPath}`);
      print(`Servers checked: ${report.checked.join(', ') || '(none)'}`);
      for (const f of report.findings) {
        print('');
        print(
          `${f.severity === 'error' ? c.red('✗') : c.yellow('!')} ${f.server ? `${c.bold(f.server)}: ` : ''}${f.symptom}`,
        );
        print(`    cause: ${f.cause}`);
        print(`    fix:   ${f.fix}`);
      }
      print('');
    }
    print(
      findings.length === 0
        ? c.green('No problems found.')
        : `${errors} problem${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}.`,
    );
  }
  if (errors) throw new ExitCode(1);
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
    env: ctx.processEnv,
    platform: ctx.platform,
    home: resolveContext({}, { name: '' }, ctx.processEnv, ctx.platform).home,
    configDir: state ? dirname(state.file) : ctx.cwd,
    declared: state?.targets,
  });
  const names = [...new Set([...(state?.targets ?? []).map((t) => t.name), ...found.map((f) => f.client)])];
  return names.length ? names : ['claude-desktop'];
}

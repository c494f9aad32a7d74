import { findConfig } from '../../config/find.js';
import type { DesiredState } from '../../config/types.js';
import { ExitCode, McpformError } from '../../errors.js';
import type { Context } from '../context.js';
import { print, printErr, printJson, exitOnInterrupt } from '../output.js';

export default async function doctor(ctx: Context, servers: string[]): Promise<void> {
  let state: DesiredState | undefined;
  let loadError: McpformError | undefined;
  try {
    const file = await findConfig(ctx.opts.file, ctx.cwd, ctx.processEnv);
    const { loadDesired } = await import('../../config/load.js');
    state = loadDesired(file, { environment: ctx.environment, env: ctx.processEnv, displayBase: ctx.cwd });
  } catch (err) {
    if (!(err instanceof McpformError)) throw err;
    // Without a usable mcp.yaml the client's own file can still be diagnosed.
    if (err.code !== 'CONFIG_NOT_FOUND') loadError = err;
  }
  exitOnInterrupt();
  if (!ctx.opts.json) printErr('Checking the Claude Desktop config and starting each server as the client would...');
  const { runDoctor } = await import('../../doctor/run.js');
  const report = await runDoctor({ state, loadError, servers, env: ctx.processEnv, platform: ctx.platform });
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  if (ctx.opts.json) {
    printJson({ formatVersion: 1, ...report });
  } else {
    const c = ctx.colors;
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
    print(
      report.findings.length === 0
        ? c.green('No problems found.')
        : `${errors} problem${errors === 1 ? '' : 's'}, ${report.findings.length - errors} warning${report.findings.length - errors === 1 ? '' : 's'}.`,
    );
  }
  if (errors) throw new ExitCode(1);
}

import { ExitCode, formatProblem, McpformError } from '../errors.js';
import { printErr } from './output.js';

/** The one place errors become text and exit codes (main, and watch between cycles). */
export function reportError(err: unknown): number {
  const debug = process.env.MCPFORM_DEBUG === '1';
  if (err instanceof ExitCode) return err.exitCode;
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('commander.')
  ) {
    const e = err as { exitCode?: number; code: string };
    // Commander already printed it; --help and --version carry exit code 0, usage errors 1.
    return e.exitCode ?? 1;
  }
  if (err instanceof McpformError) {
    const lines = err.problems.length ? err.problems.map(formatProblem) : [`Error: ${err.message}`];
    if (err.problems.length && !err.problems.some((p) => p.message === err.message))
      lines.push(`Error: ${err.message}`);
    if (err.hint) lines.push(`Hint: ${err.hint}`);
    printErr(lines.join('\n'));
    if (debug) printErr(err.stack ?? '');
    return 1;
  }
  const msg = err instanceof Error ? err.message : String(err);
  printErr(`Internal error: ${msg}\nThis is a bug in mcpform; please report it with the output of MCPFORM_DEBUG=1.`);
  if (debug && err instanceof Error) printErr(err.stack ?? '');
  return 1;
}

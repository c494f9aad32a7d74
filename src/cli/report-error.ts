import { ExitCode, formatProblem, McpformError, type Problem } from '../errors.js';
import type { FileOutcome } from '../apply/guard.js';
import { checksBehind, firstFailure, type Check } from '../probe/types.js';
import { printErr, printJson } from './output.js';
import { visibleLines } from '../util/sanitize.js';

/** The `error` every failing `--json` document carries. */
export interface ErrorBody {
  code: string;
  message: string;
  problems: (Problem & { text: string })[];
  hint: string | null;
  /** After a rollback: each client file and its state. */
  files?: readonly FileOutcome[];
  /** After failed health checks: each server and its first failure. */
  checks?: { server: string; ok: boolean; failed: Check | null }[];
  /** The signal that interrupted the run. */
  signal?: string;
}

export interface ErrorDocument {
  formatVersion: 1;
  error: ErrorBody;
}

/** `--json` on failure: the same document for every command (docs/reference.md "JSON output"). */
export function errorDocument(err: unknown): ErrorDocument {
  if (err instanceof McpformError) {
    const data = err.data;
    const checks = checksBehind(err)?.map((c) => ({ server: c.server, ok: c.ok, failed: firstFailure(c) ?? null }));
    const files = data && 'files' in data ? data.files : undefined;
    const signal = data && 'signal' in data ? data.signal : undefined;
    return {
      formatVersion: 1,
      error: {
        code: err.code,
        message: err.message,
        problems: err.problems.map((p) => ({ ...p, text: formatProblem(p) })),
        hint: err.hint ?? null,
        ...(files ? { files } : {}),
        ...(checks ? { checks } : {}),
        ...(signal ? { signal } : {}),
      },
    };
  }
  const usage = isCommanderError(err);
  return {
    formatVersion: 1,
    error: {
      code: usage ? 'USAGE' : 'INTERNAL',
      message: usage ? err.message.replace(/^error: /, '') : err instanceof Error ? err.message : String(err),
      problems: [],
      hint: usage
        ? 'run with --help for usage'
        : 'this is a bug in mcpform; please report it with the output of MCPFORM_DEBUG=1',
    },
  };
}

function isCommanderError(err: unknown): err is { exitCode?: number; code: string; message: string } {
  return (
    !!err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('commander.')
  );
}

/**
 * The one place errors become text and exit codes (main, and watch between cycles). With
 * `json`, a JSON document on stdout as well, so a script always gets one.
 */
export function reportError(err: unknown, opts: { json?: boolean; debug?: boolean } = {}): number {
  const debug = opts.debug ?? process.env.MCPFORM_DEBUG === '1';
  if (err instanceof ExitCode) return err.exitCode;
  if (isCommanderError(err)) {
    // Commander already printed it; --help and --version carry exit code 0, usage errors 1.
    const code = err.exitCode ?? 1;
    if (code !== 0 && opts.json) printJson(errorDocument(err));
    return code;
  }
  if (opts.json) printJson(errorDocument(err));
  if (err instanceof McpformError) {
    const lines = err.problems.length ? err.problems.map(formatProblem) : [`Error: ${err.message}`];
    if (err.problems.length && !err.problems.some((p) => p.message === err.message))
      lines.push(`Error: ${err.message}`);
    if (err.hint) lines.push(`Hint: ${err.hint}`);
    // Messages quote names and text from files and servers: shown, never obeyed by the terminal.
    printErr(visibleLines(lines.join('\n')));
    if (debug) printErr(err.stack ?? '');
    return err.exitCode;
  }
  const msg = err instanceof Error ? err.message : String(err);
  printErr(
    `Internal error: ${visibleLines(msg)}\nThis is a bug in mcpform; please report it with the output of MCPFORM_DEBUG=1.`,
  );
  if (debug && err instanceof Error) printErr(err.stack ?? '');
  return 1;
}

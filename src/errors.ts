/**
 * Errors are data: a string code a script can match, a message a person can act on, and
 * the source location when there is one. The CLI's single top-level catch turns them into
 * text and an exit code (see cli/main.ts).
 */

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface Problem {
  message: string;
  location?: SourceLocation;
}

export type ErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_EXISTS'
  | 'INVALID_CONFIG'
  | 'INVALID_LIVE_CONFIG'
  | 'UNREADABLE'
  | 'WRITE_FAILED'
  | 'READ_ONLY'
  | 'UNKNOWN_ENVIRONMENT'
  | 'UNKNOWN_TARGET'
  | 'UNKNOWN_SERVER'
  | 'STALE_PLAN'
  | 'INVALID_PLAN'
  | 'SECRET_CHANGED'
  | 'LOCK_HELD'
  | 'NOT_CONFIRMED'
  | 'EMPTY_PLAN_REFUSED'
  | 'HEALTH_FAILED'
  | 'ROLLED_BACK'
  | 'INTERRUPTED'
  | 'NO_BACKUP'
  | 'LOCKFILE_FROZEN'
  | 'FINGERPRINT_CHANGED'
  | 'OWNERSHIP_CONFLICT'
  | 'REGISTRY'
  | 'GIT_IMPORT'
  | 'IMPORT_TAMPERED'
  | 'PROBLEMS_FOUND'
  | 'INTEGRITY_MISMATCH'
  | 'USAGE'
  | 'UNSUPPORTED_BY_CLIENT'
  | 'NO_HOME'
  | 'INTERNAL';

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export function formatProblem(p: Problem): string {
  return p.location ? `${formatLocation(p.location)} ${p.message}` : p.message;
}

/**
 * What each code carries beyond its text, by code (the MCP SDK's typed error data, as a map):
 * `new McpformError('HEALTH_FAILED', msg, { data: { checks } })` is checked against it, and a
 * caller that has narrowed `err.code` reads `err.data` without a cast. A code not in the map
 * carries nothing. The folder that owns a code's types adds its entry where they live
 * (`declare module '../errors.js'`), so this file imports nothing and every folder may use it:
 * HEALTH_FAILED and LOCKFILE_FROZEN in probe/types.ts, FINGERPRINT_CHANGED in lock/sync.ts,
 * INTERRUPTED and ROLLED_BACK in apply/guard.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the folders above
export interface ErrorData {}

/** The data of an error with code `C`; `never` (no data) for a code not in the map. */
export type ErrorDataOf<C extends ErrorCode> = C extends keyof ErrorData ? ErrorData[C] : never;

/** Any mcpform error, as a union by code: `err.code === 'X'` narrows `err.data` to X's data. */
export type AnyMcpformError = { [C in ErrorCode]: McpformError<C> }[ErrorCode];

/** A failure the user can act on. Exit code 1 unless said otherwise. */
export class McpformError<C extends ErrorCode = ErrorCode> extends Error {
  /** `err instanceof McpformError` narrows to the union by code, not to `McpformError<any>`. */
  static override [Symbol.hasInstance](v: unknown): v is AnyMcpformError {
    return Function.prototype[Symbol.hasInstance].call(this, v);
  }
  readonly code: C;
  readonly problems: readonly Problem[];
  readonly hint?: string;
  /** What a caller may want beyond the text: the health checks behind a rollback, say. */
  readonly data?: ErrorDataOf<C>;
  /** The process exit code: 1, or 128 + the signal's number after an interruption. */
  readonly exitCode: number;

  constructor(
    code: C,
    message: string,
    opts: {
      problems?: Problem[];
      hint?: string;
      cause?: unknown;
      data?: ErrorDataOf<C>;
      exitCode?: number;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'McpformError';
    this.code = code;
    this.problems = opts.problems ?? [];
    this.hint = opts.hint;
    this.data = opts.data;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Every problem found in mcp.yaml (and its imports), reported together. */
export function invalidConfig(problems: Problem[]): McpformError {
  const n = problems.length;
  return new McpformError('INVALID_CONFIG', `${n} problem${n === 1 ? '' : 's'} in the configuration`, { problems });
}

/** Not an error: a command asking for a specific exit code (plan --detailed-exitcode). */
export class ExitCode extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

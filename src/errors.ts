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

/** A failure the user can act on. Exit code 1 unless said otherwise. */
export class McpformError extends Error {
  readonly code: ErrorCode;
  readonly problems: readonly Problem[];
  readonly hint?: string;
  /** What a caller may want beyond the text: the health checks behind a rollback, say. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The process exit code: 1, or 128 + the signal's number after an interruption. */
  readonly exitCode: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      problems?: Problem[];
      hint?: string;
      cause?: unknown;
      data?: Record<string, unknown>;
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

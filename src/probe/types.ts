import { McpformError } from '../errors.js';
import type { StdioLaunch } from './spawn.js';

/** The health checks behind a failure (src/errors.ts: ErrorData). */
export interface ChecksData {
  readonly checks: readonly ProbeResult[];
}

declare module '../errors.js' {
  interface ErrorData {
    /** The results behind it (every check run, or only the failed ones when nothing else ran). */
    HEALTH_FAILED: ChecksData;
    /** apply's checks, run before mcp.lock was found to need a write. */
    LOCKFILE_FROZEN: ChecksData;
  }
}

export type Verdict = 'pass' | 'fail' | 'warn' | 'skip';

export type CheckName =
  | 'configuration'
  | 'startup'
  | 'initialize'
  | 'tools'
  | 'call'
  | 'errors'
  | 'expectTools'
  | 'stdout'
  | 'environment'
  | 'fingerprint'
  | 'authorization';

export interface Check {
  readonly name: CheckName;
  readonly verdict: Verdict;
  readonly detail: string;
}

export type Launch =
  | ({ kind: 'stdio' } & StdioLaunch)
  | { kind: 'http'; url: string; headers: Record<string, string>; transport?: 'http' | 'sse' };

/** One server to health-check, exactly as the client would start it. */
export interface ProbeSpec {
  readonly name: string;
  readonly launch: Launch;
  readonly timeoutMs: number;
  readonly expectTools?: readonly string[];
  readonly call?: { readonly tool: string; readonly arguments: Record<string, unknown>; readonly expect?: string };
  /** Values to mask in every detail and stderr tail (secrets from env, args, headers). */
  readonly secrets?: readonly string[];
  /** Where `launch.cwd` is, said for a person, when it is the client's own folder (no `cwd` in the entry). */
  readonly launchDir?: string;
  /** The client that starts the server (its target name), for messages. */
  readonly client?: string;
  /** Set when the command is only on the user's shell PATH: what to do about it (specs.ts). */
  readonly shellHint?: string;
}

export interface ToolInfo {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
}

export interface ProbeResult {
  readonly server: string;
  readonly ok: boolean;
  readonly checks: readonly Check[];
  readonly protocolVersion?: string;
  /** `initialize` (2024-11-05 .. 2025-11-25) or `discover` (2026-07-28, stateless). */
  readonly lifecycle?: 'initialize' | 'discover';
  readonly serverInfo?: { readonly name: string; readonly version: string };
  readonly tools: readonly ToolInfo[];
  readonly durationMs: number;
  readonly stderrTail?: string;
  /** A server reached by URL: no process of ours, so no process advice. */
  readonly remote?: true;
  /** What to do about a failure, in a sentence. */
  readonly hint?: string;
  /**
   * The client the user signs in through: the server answered 401 with sound OAuth metadata
   * (its normal state before sign-in). It passed, but no tools were listed: nothing to fingerprint.
   */
  readonly signIn?: string;
}

export function firstFailure(r: ProbeResult): Check | undefined {
  return r.checks.find((c) => c.verdict === 'fail');
}

/** The health checks behind an error: a failed check, or an apply rolled back because of one. */
export function checksBehind(err: unknown): readonly ProbeResult[] | undefined {
  return err instanceof McpformError && err.data && 'checks' in err.data ? err.data.checks : undefined;
}

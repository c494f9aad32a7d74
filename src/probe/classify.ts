import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ProcessTransport } from './process-transport.js';
import type { Check } from './types.js';

export interface Failure {
  checks: Check[];
  hint?: string;
  /** initialize got a JSON-RPC error: perhaps a stateless (2026-07-28) server. */
  tryStateless?: boolean;
}

export function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Which check a failure of an initialize-era session belongs to, and what it says. */
export function classify(
  err: unknown,
  transport: ProcessTransport | undefined,
  timeoutMs: number,
  done: readonly Check[],
): Failure {
  const proc = transport?.server;
  const stage = done.some((c) => c.name === 'initialize')
    ? 'tools'
    : done.some((c) => c.name === 'startup')
      ? 'initialize'
      : undefined;
  const msg = err instanceof Error ? err.message : String(err);
  if (proc?.spawnError) {
    return {
      checks: [{ name: 'startup', verdict: 'fail', detail: `could not start: ${proc.spawnError.message}` }],
      hint: 'check that the command exists and is executable',
    };
  }
  const how =
    proc?.exit && (proc.exit.signal ? `was killed by ${proc.exit.signal}` : `exited with code ${proc.exit.code}`);
  if (proc?.exit && (stage || transport!.responses > 0)) {
    // It did answer initialize (perhaps the write of notifications/initialized found it gone).
    const after = Math.round(Math.max(0, proc.exit.at - proc.startedAt));
    return {
      checks: [
        ...(stage
          ? []
          : [
              { name: 'startup', verdict: 'pass', detail: `process ${proc.pid} started` } as const,
              { name: 'initialize', verdict: 'pass', detail: 'the server answered initialize' } as const,
            ]),
        {
          name: 'tools',
          verdict: 'fail',
          detail: `the server answered initialize, then ${how} ${after} ms after start, ${stage ? 'during' : 'before'} tools/list`,
        },
      ],
      hint: 'a stdio server must keep running until its client closes stdin; see the stderr tail',
    };
  }
  if (proc?.exit && !stage) {
    return {
      checks: [
        {
          name: 'startup',
          verdict: 'fail',
          detail: `the server ${how} ${Math.round(Math.max(0, proc.exit.at - proc.startedAt))} ms after start, before answering initialize`,
        },
      ],
      hint: 'read the stderr tail below; run the command by hand with the same env to reproduce',
    };
  }
  const timedOut = err instanceof McpError && err.code === ErrorCode.RequestTimeout;
  const startup: Check[] = stage
    ? []
    : [
        {
          name: 'startup',
          verdict: proc ? 'pass' : 'fail',
          detail: proc ? `process ${proc.pid} started` : `could not connect: ${msg}`,
        },
      ];
  if (!proc && !stage) return { checks: startup, hint: 'check the URL, the network and the headers (authentication)' };
  if (timedOut) {
    const what = stage === 'tools' ? 'tools/list' : 'initialize';
    return {
      checks: [
        ...startup,
        { name: stage ?? 'initialize', verdict: 'fail', detail: `no answer to ${what} within ${seconds(timeoutMs)} s` },
      ],
      hint: transport?.junk.length
        ? 'the server printed non-JSON to stdout; it may be logging there instead of speaking MCP'
        : 'the server may be waiting for input, slow to start (raise test.timeout), or not an MCP server',
    };
  }
  if (err instanceof McpError && !stage) {
    return {
      checks: [...startup, { name: 'initialize', verdict: 'fail', detail: `initialize was refused: ${msg}` }],
      tryStateless: true,
    };
  }
  return { checks: [...startup, { name: stage ?? 'initialize', verdict: 'fail', detail: msg }] };
}

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { EmptyResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../version.js';
import { probeStateless } from './discover.js';
import { prepareServer, type PreparedServer } from './prepare.js';
import { ProcessTransport } from './process-transport.js';
import type { Check, ProbeResult, ProbeSpec, ToolInfo } from './types.js';
import { maskDeep, masker } from '../util/mask.js';

const MAX_TOOL_PAGES = 100;

/**
 * Runs one server through the checks in order, each with its own verdict: configuration,
 * startup, initialize, tools, call, errors, expectTools, stdout. Always kills what it
 * started, also on timeout.
 */
export async function checkServer(
  spec: ProbeSpec,
  opts: { prepared?: PreparedServer; stopInBackground?: (stopped: Promise<void>) => void } = {},
): Promise<ProbeResult> {
  const started = Date.now();
  const prepared = opts.prepared ?? prepareServer(spec);
  const deadline = started + spec.timeoutMs;
  const checks: Check[] = [];
  // Every string of the result (details, stderr, tool descriptions that end up in mcp.lock)
  // is masked, on every path out of here, the stateless one included.
  const mask = masker(spec.secrets ?? []);
  const add = (c: Check) => checks.push(c);
  const done = (extra: Partial<ProbeResult> = {}): ProbeResult =>
    maskDeep(
      {
        server: spec.name,
        ok: !checks.some((c) => c.verdict === 'fail'),
        checks,
        tools: [],
        durationMs: Date.now() - started,
        ...extra,
        stderrTail: extra.stderrTail || undefined,
        hint: extra.hint || undefined,
      },
      mask,
    );

  add(prepared.config);
  if (prepared.config.verdict === 'fail')
    return done({
      hint:
        spec.shellHint ??
        'fix the command or path in mcp.yaml; the client starts servers with its own PATH and working directory',
    });

  const remaining = () => Math.max(1, deadline - Date.now());
  const client = new Client({ name: 'mcpform', version: VERSION }, { capabilities: {} });
  let transport: Transport;
  let proc: ProcessTransport | undefined;
  if (prepared.server) {
    proc = new ProcessTransport(prepared.server);
    transport = proc;
  } else transport = await httpTransport(spec.launch as Extract<ProbeSpec['launch'], { kind: 'http' }>, false);
  let negotiated: string | undefined;
  const track = (t: Transport) => {
    t.setProtocolVersion = (v: string) => (negotiated = v);
    return t;
  };
  track(transport);

  try {
    try {
      await client.connect(transport, { timeout: remaining() });
    } catch (err) {
      if (spec.launch.kind === 'http' && !spec.launch.transport && !(err instanceof McpError)) {
        // Streamable HTTP refused: older servers speak SSE only.
        transport = track(await httpTransport(spec.launch, true));
        await client.connect(transport, { timeout: remaining() });
        add({ name: 'startup', verdict: 'pass', detail: 'connected over SSE (streamable HTTP was refused)' });
      } else throw err;
    }
    if (!checks.some((c) => c.name === 'startup')) {
      add({
        name: 'startup',
        verdict: 'pass',
        detail: proc ? `process ${proc.server.pid} started and stayed up` : `connected over streamable HTTP`,
      });
    }
    const info = client.getServerVersion();
    add({
      name: 'initialize',
      verdict: 'pass',
      detail: `protocol ${negotiated ?? '?'}, server ${info?.name ?? '?'} ${info?.version ?? ''}`.trim(),
    });

    const tools: ToolInfo[] = [];
    if (client.getServerCapabilities()?.tools) {
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, { timeout: remaining() });
        tools.push(
          ...page.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
        );
        cursor = page.nextCursor;
      } while (cursor && ++pages < MAX_TOOL_PAGES);
      add({
        name: 'tools',
        verdict: 'pass',
        detail: `${tools.length} tool${tools.length === 1 ? '' : 's'}${pages ? ` in ${pages + 1} pages` : ''}`,
      });
    } else add({ name: 'tools', verdict: 'skip', detail: 'the server declares no tools capability' });

    if (spec.call) add(await checkCall(client, spec.call, remaining()));
    add(await checkErrorHandling(client, proc, Math.min(remaining(), 5000)));
    if (spec.expectTools?.length) {
      const names = new Set(tools.map((t) => t.name));
      const missing = spec.expectTools.filter((t) => !names.has(t));
      add(
        missing.length
          ? {
              name: 'expectTools',
              verdict: 'fail',
              detail: `missing expected tool${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
            }
          : { name: 'expectTools', verdict: 'pass', detail: `all ${spec.expectTools.length} present` },
      );
    }
    if (proc?.junk.length) add(stdoutWarning(proc.junk));
    return done({
      protocolVersion: negotiated,
      lifecycle: 'initialize',
      serverInfo: info ? { name: info.name, version: info.version } : undefined,
      tools,
      stderrTail: proc?.server.stderrTail(),
    });
  } catch (err) {
    // A write to a server that just died fails (EPIPE) before its exit is reported: wait
    // briefly for the exit, so the verdict says "exited" with its code and stderr.
    if (proc && !proc.server.exit && !(err instanceof McpError && err.code === ErrorCode.RequestTimeout)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        proc!.server.onExit(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const failure = classify(err, proc, spec.timeoutMs, checks);
    if (failure.tryStateless && spec.launch.kind === 'stdio') {
      await transport.close().catch(() => {});
      await prepared.server?.stop();
      const stateless = await probeStateless(spec, deadline);
      if (stateless)
        return maskDeep(
          { ...stateless, checks: [...checks, ...stateless.checks], durationMs: Date.now() - started },
          mask,
        );
    }
    for (const c of failure.checks) add(c);
    if (proc?.junk.length) add(stdoutWarning(proc.junk, true));
    return done({ stderrTail: proc?.server.stderrTail(), hint: failure.hint });
  } finally {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
    const stopped = prepared.server?.stop() ?? Promise.resolve();
    // The verdict is known; a runner may let the process die while it reports.
    if (opts.stopInBackground) opts.stopInBackground(stopped);
    else await stopped;
  }
}

async function checkCall(client: Client, call: NonNullable<ProbeSpec['call']>, timeout: number): Promise<Check> {
  try {
    const result = await client.callTool({ name: call.tool, arguments: call.arguments }, undefined, { timeout });
    const text =
      (result.content as { type: string; text?: string }[] | undefined)
        ?.filter((c) => c.type === 'text')
        .map((c) => c.text)
        .join('\n') ?? '';
    if (result.isError)
      return { name: 'call', verdict: 'fail', detail: `tool ${call.tool} returned an error: ${text.slice(0, 300)}` };
    if (call.expect !== undefined && !text.includes(call.expect))
      return {
        name: 'call',
        verdict: 'fail',
        detail: `tool ${call.tool} answered without the expected text '${call.expect}': ${text.slice(0, 300)}`,
      };
    return {
      name: 'call',
      verdict: 'pass',
      detail: `tool ${call.tool} answered${call.expect !== undefined ? ' with the expected text' : ''}`,
    };
  } catch (err) {
    return { name: 'call', verdict: 'fail', detail: `calling ${call.tool} failed: ${(err as Error).message}` };
  }
}

/** An unknown method must get a JSON-RPC error back, not kill the server or go unanswered. */
async function checkErrorHandling(
  client: Client,
  transport: ProcessTransport | undefined,
  timeout: number,
): Promise<Check> {
  const proc = transport?.server;
  try {
    await client.request({ method: 'mcpform/no-such-method', params: {} }, EmptyResultSchema, { timeout });
    return {
      name: 'errors',
      verdict: 'warn',
      detail: 'an unknown method was accepted instead of answered with a JSON-RPC error',
    };
  } catch (err) {
    if (proc?.exit)
      return {
        name: 'errors',
        verdict: 'fail',
        detail: `the server exited (code ${proc.exit.code}) when sent an unknown method`,
      };
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout)
      return {
        name: 'errors',
        verdict: 'warn',
        detail: 'an unknown method got no answer (a JSON-RPC error was expected)',
      };
    if (err instanceof McpError)
      return { name: 'errors', verdict: 'pass', detail: `unknown method answered with JSON-RPC error ${err.code}` };
    return { name: 'errors', verdict: 'warn', detail: `unknown method: ${(err as Error).message}` };
  }
}

function stdoutWarning(junk: string[], failed = false): Check {
  return {
    name: 'stdout',
    verdict: failed ? 'fail' : 'warn',
    detail: `the server writes logs to stdout, which must carry only JSON-RPC (first line: ${JSON.stringify(junk[0])}); log to stderr instead`,
  };
}

interface Failure {
  checks: Check[];
  hint?: string;
  tryStateless?: boolean;
}

function classify(err: unknown, transport: ProcessTransport | undefined, timeoutMs: number, done: Check[]): Failure {
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
  if (proc?.exit && !stage) {
    const how = proc.exit.signal ? `was killed by ${proc.exit.signal}` : `exited with code ${proc.exit.code}`;
    return {
      checks: [
        {
          name: 'startup',
          verdict: 'fail',
          detail: `the server ${how} ${Math.max(0, proc.exit.at - proc.startedAt)} ms after start, before answering initialize`,
        },
      ],
      hint: 'read the stderr tail below; run the command by hand with the same env to reproduce',
    };
  }
  if (proc?.exit && stage) {
    return {
      checks: [
        {
          name: stage,
          verdict: 'fail',
          detail: `the server exited (code ${proc.exit.code}${proc.exit.signal ? `, ${proc.exit.signal}` : ''}) during ${stage === 'tools' ? 'tools/list' : stage}`,
        },
      ],
      hint: 'the server crashed; see the stderr tail',
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
    // A JSON-RPC error to initialize: possibly a stateless (2026-07-28) server.
    return {
      checks: [...startup, { name: 'initialize', verdict: 'fail', detail: `initialize was refused: ${msg}` }],
      tryStateless: true,
    };
  }
  return { checks: [...startup, { name: stage ?? 'initialize', verdict: 'fail', detail: msg }] };
}

async function httpTransport(launch: Extract<ProbeSpec['launch'], { kind: 'http' }>, sse: boolean): Promise<Transport> {
  const requestInit = { headers: launch.headers };
  if (sse || launch.transport === 'sse') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(new URL(launch.url), { requestInit });
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(new URL(launch.url), { requestInit });
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

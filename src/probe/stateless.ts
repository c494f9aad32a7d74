import { VERSION } from '../version.js';
import { callVerdict, expectToolsVerdict } from './call-verdict.js';
import { paramHeaders } from './param-headers.js';
import type { Check, ProbeResult, ProbeSpec, ToolInfo } from './types.js';

/**
 * The modern (stateless, 2026-07-28 and later) era, whatever the transport: no initialize;
 * every request carries its protocol version, the client's capabilities and its identity in
 * `_meta`; `server/discover` says what the server speaks. The SDK we build on does not speak
 * this era yet, so the checks are written here once, over a channel that stdio
 * (discover.ts) and streamable HTTP (http-modern.ts) each provide.
 */

/** Modern versions mcpform speaks, preferred first. */
export const MODERN_VERSIONS: readonly string[] = ['2026-07-28'];
export const STATELESS_VERSION = MODERN_VERSIONS[0]!;

export const HEADER_MISMATCH = -32020;
export const MISSING_CLIENT_CAPABILITY = -32021;
export const UNSUPPORTED_VERSION = -32022;
const MODERN_ERRORS = new Set([HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY, UNSUPPORTED_VERSION]);
const MAX_TOOL_PAGES = 100;

/** A JSON-RPC error answer (with the HTTP status it came with, on HTTP). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** A JSON-RPC error that only a modern server sends: never a reason to fall back to initialize. */
export function isModernError(err: unknown): boolean {
  return err instanceof RpcError && MODERN_ERRORS.has(err.code);
}

export interface ModernChannel {
  /**
   * One request carrying `_meta` for `version`: its result, or an RpcError; anything else is a
   * transport failure. `headers` are HTTP's alone (a stdio channel has none to send).
   */
  request(
    method: string,
    params: Record<string, unknown>,
    version: string,
    headers?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
}

export function requestMeta(version: string): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': version,
    // The check answers no server-to-client requests (no roots, sampling or elicitation).
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'mcpform', version: VERSION },
  };
}

/** Our most preferred version among those the server names; undefined when none is ours. */
export function chooseVersion(supported: unknown, ours: readonly string[] = MODERN_VERSIONS): string | undefined {
  if (!Array.isArray(supported)) return undefined;
  return ours.find((v) => supported.includes(v));
}

export type Era =
  | { era: 'modern'; version: string; found: Record<string, unknown> }
  | { era: 'legacy'; why: string }
  | { era: 'none'; detail: string };

/**
 * `server/discover` with our preferred version, retried once with one the server names when
 * it rejects ours. A non-modern JSON-RPC error, or an answer that is no DiscoverResult, means
 * a legacy server (fall back to initialize); transport failures are thrown for the caller to name.
 */
export async function discoverEra(channel: ModernChannel, ours: readonly string[] = MODERN_VERSIONS): Promise<Era> {
  let version = ours[0]!;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const found = await channel.request('server/discover', {}, version);
      // Many initialize-era servers answer any method they do not know with an empty result.
      if (!Array.isArray(found.supportedVersions))
        return { era: 'legacy', why: 'server/discover was answered without supportedVersions' };
      return { era: 'modern', version, found };
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      if (!isModernError(err)) return { era: 'legacy', why: err.message };
      if (err.code !== UNSUPPORTED_VERSION)
        return { era: 'none', detail: `server/discover was rejected: ${err.message} (${err.code})` };
      // The server's data, not ours: read, never trusted to have a shape.
      const supported =
        typeof err.data === 'object' && err.data && 'supported' in err.data ? err.data.supported : undefined;
      const next = chooseVersion(supported, ours);
      // Even the version just refused: a server (or one of several behind a balancer) may
      // refuse a first request it takes the second time. Once, never in a loop.
      if (next && attempt === 0) {
        version = next;
        continue;
      }
      if (next)
        return {
          era: 'none',
          detail: `the server refused protocol ${version} twice, though it names it as supported (${(supported as string[]).join(', ')})`,
        };
      // A server that names only initialize-era versions speaks them through initialize.
      if (Array.isArray(supported) && supported.some((v) => typeof v === 'string' && v < '2026'))
        return { era: 'legacy', why: `the server supports ${supported.join(', ')}` };
      return {
        era: 'none',
        detail: `no protocol version in common: the server supports ${Array.isArray(supported) ? supported.join(', ') : '(none named)'}, mcpform speaks ${ours.join(', ')}`,
      };
    }
  }
  return { era: 'none', detail: 'the server rejected every protocol version it named' };
}

/** The checks after a successful discover: tools (paged), the declared call, unknown-method handling, expectTools. */
export async function checkModern(
  spec: ProbeSpec,
  channel: ModernChannel,
  era: Extract<Era, { era: 'modern' }>,
  startupDetail: string,
): Promise<Pick<ProbeResult, 'checks' | 'tools' | 'protocolVersion' | 'serverInfo' | 'lifecycle'>> {
  const { found, version } = era;
  const versions = Array.isArray(found.supportedVersions) ? (found.supportedVersions as unknown[]).map(String) : [];
  const info = (found.serverInfo ??
    (found._meta as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/serverInfo']) as
    { name?: string; version?: string } | undefined;
  const checks: Check[] = [
    { name: 'startup', verdict: 'pass', detail: startupDetail },
    {
      name: 'initialize',
      verdict: 'pass',
      detail:
        `stateless: server/discover answered (supports ${versions.join(', ') || '?'}), server ${info?.name ?? '?'} ${info?.version ?? ''}`.trim(),
    },
  ];
  const tools: ToolInfo[] = [];
  const capabilities = found.capabilities as Record<string, unknown> | undefined;
  if (!capabilities || capabilities.tools) {
    let cursor: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await channel.request('tools/list', cursor ? { cursor } : {}, version);
        for (const t of Array.isArray(page.tools) ? (page.tools as ToolInfo[]) : [])
          tools.push({ name: t.name, description: t.description, inputSchema: t.inputSchema });
        cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
      } while (cursor && ++pages < MAX_TOOL_PAGES);
      checks.push({
        name: 'tools',
        verdict: 'pass',
        detail: `${tools.length} tool${tools.length === 1 ? '' : 's'}${pages ? ` in ${pages + 1} pages` : ''}`,
      });
    } catch (err) {
      checks.push({ name: 'tools', verdict: 'fail', detail: `tools/list failed: ${(err as Error).message}` });
      return { checks, tools, protocolVersion: version, lifecycle: 'discover', serverInfo: serverInfo(info) };
    }
  } else checks.push({ name: 'tools', verdict: 'skip', detail: 'the server declares no tools capability' });

  if (spec.call) checks.push(await modernCall(channel, spec.call, version, tools));
  checks.push(await modernUnknownMethod(channel, version));
  const expected = expectToolsVerdict(spec.expectTools, tools);
  if (expected) checks.push(expected);
  return { checks, tools, protocolVersion: version, lifecycle: 'discover', serverInfo: serverInfo(info) };
}

function serverInfo(info: { name?: string; version?: string } | undefined) {
  return info?.name ? { name: String(info.name), version: String(info.version ?? '') } : undefined;
}

/** What mcpform answers a server's input request with during a check: nothing given, politely. */
export function declineInput(method: unknown): Record<string, unknown> | undefined {
  if (method === 'elicitation/create') return { action: 'decline' };
  if (method === 'roots/list') return { roots: [] };
  return undefined; // sampling: no answer is a decline
}

async function modernCall(
  channel: ModernChannel,
  call: NonNullable<ProbeSpec['call']>,
  version: string,
  tools: readonly ToolInfo[],
): Promise<Check> {
  const mirrored = paramHeaders(tools.find((t) => t.name === call.tool)?.inputSchema, call.arguments);
  if ('invalid' in mirrored)
    return {
      name: 'call',
      verdict: 'fail',
      detail: `tool ${call.tool} is not called: ${mirrored.invalid}, and a client must not call a tool with an invalid x-mcp-header`,
    };
  const { headers } = mirrored;
  try {
    const params: Record<string, unknown> = { name: call.tool, arguments: call.arguments };
    let result = await channel.request('tools/call', params, version, headers);
    // Multi round-trip: the server asks for input; one retry with declines, as a user would.
    if (result.resultType === 'input_required') {
      const asked = (result.inputRequests ?? {}) as Record<string, { method?: unknown }>;
      const inputResponses: Record<string, unknown> = {};
      for (const [key, req] of Object.entries(asked)) {
        const answer = declineInput(req?.method);
        if (answer) inputResponses[key] = answer;
      }
      const retry = { ...params, inputResponses };
      if (typeof result.requestState === 'string') Object.assign(retry, { requestState: result.requestState });
      result = await channel.request('tools/call', retry, version, headers);
      if (result.resultType === 'input_required')
        return {
          name: 'call',
          verdict: 'warn',
          detail: `tool ${call.tool} needs user input, which a check cannot give`,
        };
    }
    return callVerdict(call, result);
  } catch (err) {
    return { name: 'call', verdict: 'fail', detail: `calling ${call.tool} failed: ${(err as Error).message}` };
  }
}

async function modernUnknownMethod(channel: ModernChannel, version: string): Promise<Check> {
  try {
    await channel.request('mcpform/no-such-method', {}, version);
    return {
      name: 'errors',
      verdict: 'warn',
      detail: 'an unknown method was accepted instead of answered with a JSON-RPC error',
    };
  } catch (err) {
    if (err instanceof RpcError)
      return { name: 'errors', verdict: 'pass', detail: `unknown method answered with JSON-RPC error ${err.code}` };
    return { name: 'errors', verdict: 'warn', detail: `unknown method: ${(err as Error).message}` };
  }
}

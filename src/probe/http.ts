import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { fetchWithinOrigin, unfollowedRedirect } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Fetch } from './http-fetch.js';
import { headerValue } from './param-headers.js';
import { requestMeta, RpcError, type ModernChannel } from './stateless.js';
import type { Launch } from './types.js';

type HttpLaunch = Extract<Launch, { kind: 'http' }>;

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The endpoint wants credentials: never a reason to try another transport. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly challenge: string | undefined,
  ) {
    super(`HTTP ${status}${challenge ? ` (WWW-Authenticate: ${challenge})` : ''}`);
  }
}

/** An HTTP answer that is no JSON-RPC answer at all (an HTML 404 from a legacy or non-MCP endpoint). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** Transport-level failure of a request, as a person would say it. */
export function describeFetchError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (cause?.code === 'ENOTFOUND') return 'the host name does not resolve';
  if (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET') return 'the server closed the connection';
  if (cause?.code?.startsWith('HPE_') || /invalid header|parse error/i.test(cause?.message ?? ''))
    return `the server sent an invalid HTTP response (${cause?.message ?? cause?.code})`;
  if (/redirect/i.test(cause?.message ?? e?.message ?? ''))
    return `too many redirects (${cause?.message ?? e?.message})`;
  return [e?.message, cause?.message].filter(Boolean).join(': ') || String(err);
}

/** What a 401/403 means for the user, and how to give mcpform what it needs. */
export function describeAuth(err: AuthError, launch: HttpLaunch): { detail: string; hint: string } {
  const sent = Object.keys(launch.headers).some((k) => /^(authorization|x-api-key|api-key)$/i.test(k));
  const challenge = err.challenge ?? '';
  const oauth = /resource_metadata=|authorization_uri=|as_uri=/i.test(challenge);
  const scope = /insufficient_scope/i.test(challenge);
  const example =
    'headers: { Authorization: "Bearer ${MY_TOKEN}" } in mcp.yaml, with MY_TOKEN set in your shell or .env';
  if (scope)
    return {
      detail: `the token was accepted but lacks a scope the server wants (HTTP ${err.status}: ${challenge})`,
      hint: 'use a token with the scope the server names',
    };
  if (sent)
    return {
      detail: `the server rejected the credentials in headers (HTTP ${err.status}${challenge ? `, WWW-Authenticate: ${challenge}` : ''})`,
      hint: `check that the token is current and the variable behind it is set; it goes as ${example}`,
    };
  if (oauth)
    return {
      detail: `needs OAuth sign-in (HTTP ${err.status}, WWW-Authenticate: ${challenge})`,
      hint: `mcpform test cannot sign in in a browser: sign in through the client, or pass an access token as ${example}`,
    };
  return {
    detail: `needs a token (HTTP ${err.status}${challenge ? `, WWW-Authenticate: ${challenge}` : ''})`,
    hint: `pass one as ${example}`,
  };
}

/**
 * The 2026-07-28 revision over streamable HTTP: each request its own POST, with the
 * MCP-Protocol-Version, Mcp-Method (and Mcp-Name) headers mirroring the body, answered by
 * JSON or by an SSE stream scoped to the request.
 */
export function modernHttpChannel(launch: HttpLaunch, fetch: Fetch): ModernChannel {
  const post = fetchWithinOrigin(fetch);
  let nextId = 1;
  return {
    async request(method, params, version, mirrored = {}) {
      const id = nextId++;
      const headers: Record<string, string> = {
        ...launch.headers,
        ...mirrored,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': version,
        'Mcp-Method': method,
      };
      const name = params.name ?? params.uri;
      if (['tools/call', 'resources/read', 'prompts/get'].includes(method) && typeof name === 'string')
        headers['Mcp-Name'] = headerValue(name);
      const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: requestMeta(version) } });
      let res: Response;
      try {
        res = await post(launch.url, { method: 'POST', headers, body });
      } catch (err) {
        // Said as a person would ("connection refused"), for whichever check it ends.
        if ((err as Error)?.name === 'AbortError') throw err;
        throw new Error(describeFetchError(err), { cause: err });
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new AuthError(res.status, res.headers.get('www-authenticate') ?? undefined);
      }
      if (res.status >= 300 && res.status < 400) {
        // Past the origin, or round in circles: no other transport is reached by another redirect.
        await res.body?.cancel();
        throw new Error(
          `the server redirects in a loop or off its origin (${unfollowedRedirect(res, launch.url) ?? `HTTP ${res.status}`})`,
        );
      }
      const type = res.headers.get('content-type') ?? '';
      const message = type.includes('text/event-stream')
        ? await fromEventStream(res, id)
        : parseJson(await readText(res));
      const answer = message as { id?: unknown; result?: Record<string, unknown>; error?: Record<string, unknown> };
      if (answer?.error && typeof answer.error === 'object')
        throw new RpcError(
          Number(answer.error.code),
          `${method}: ${String(answer.error.message ?? 'error')}`,
          answer.error.data,
          res.status,
        );
      if (!res.ok || !answer || typeof answer.result !== 'object')
        throw new HttpStatusError(res.status, typeof message === 'string' ? message : JSON.stringify(message ?? ''));
      return answer.result;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readText(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The response with our id from an SSE stream; the stream is closed as soon as it came. */
async function fromEventStream(res: Response, id: number): Promise<unknown> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new HttpStatusError(res.status, 'the event stream ended without an answer');
      buffer += value;
      if (buffer.length > MAX_BODY_BYTES) throw new Error(`an event is larger than ${MAX_BODY_BYTES} bytes`);
      for (let nl = buffer.search(/\r?\n/); nl !== -1; nl = buffer.search(/\r?\n/)) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
        if (line === '') {
          const message = data.length ? parseJson(data.join('\n')) : undefined;
          data = [];
          const m = message as { id?: unknown; error?: unknown } | undefined;
          // An error with id null answers a request the server could not take at all.
          if (m && typeof m === 'object' && (m.id === id || (m.id === null && m.error))) return message;
        } else if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The SDK's transports for the initialize era, on the check's own fetch. */
export async function legacyHttpTransport(launch: HttpLaunch, sse: boolean, fetch: Fetch): Promise<Transport> {
  const requestInit = { headers: launch.headers };
  if (sse) {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(new URL(launch.url), { requestInit, fetch });
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(new URL(launch.url), { requestInit, fetch });
}

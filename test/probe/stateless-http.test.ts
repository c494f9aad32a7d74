import { afterAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import { checkFetch } from '../../src/probe/http-fetch.js';
import { modernHttpChannel } from '../../src/probe/http.js';
import { headerValue } from '../../src/probe/param-headers.js';
import { chooseVersion, discoverEra } from '../../src/probe/stateless.js';
import type { ProbeSpec } from '../../src/probe/types.js';
import { startStatelessHttp } from '../fixtures/servers/stateless-http.mjs';

interface Fixture {
  url: string;
  requests: { headers: Record<string, string>; body: { method: string; params?: Record<string, unknown> } }[];
  close(): Promise<void>;
}
const started: Fixture[] = [];
afterAll(async () => {
  for (const f of started) await f.close();
});
async function fixture(opts: Record<string, unknown> = {}): Promise<Fixture> {
  const f = (await startStatelessHttp(opts)) as Fixture;
  started.push(f);
  return f;
}
const spec = (url: string, extra: Partial<ProbeSpec> = {}): ProbeSpec => ({
  name: 'stateless-http',
  launch: { kind: 'http', url, headers: { 'X-Team': 'probe' } },
  // Generous: the point is that nothing waits for it.
  timeoutMs: 30_000,
  ...extra,
});

describe('the 2026-07-28 revision over streamable HTTP', () => {
  it.each([
    ['JSON answers', false],
    ['SSE answers', true],
  ])('a stateless server passes with %s, each request carrying the headers and _meta it requires', async (_l, sse) => {
    const server = await fixture({ sse });
    const r = await checkServer(
      spec(server.url, {
        expectTools: ['echo'],
        call: { tool: 'echo', arguments: { message: 'hi' }, expect: 'echo: hi' },
      }),
    );
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({
      lifecycle: 'discover',
      protocolVersion: '2026-07-28',
      serverInfo: { name: 'stateless-http-fixture' },
    });
    expect(r.checks.find((c) => c.name === 'call')?.verdict).toBe('pass');
    expect(r.checks.find((c) => c.name === 'errors')?.detail).toContain('-32601');
    expect(r.durationMs).toBeLessThan(10_000);
    const methods = server.requests.map((q) => q.body.method);
    expect(methods).toEqual(['server/discover', 'tools/list', 'tools/call', 'mcpform/no-such-method']);
    for (const { headers, body } of server.requests) {
      expect(headers['mcp-method']).toBe(body.method);
      expect(headers['mcp-protocol-version']).toBe('2026-07-28');
      expect(headers['x-team']).toBe('probe');
      expect(headers.accept).toMatch(/application\/json.*text\/event-stream/);
      expect(body.params?._meta).toMatchObject({
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'mcpform' },
      });
    }
    expect(server.requests[2]!.headers['mcp-name']).toBe('echo');
  });

  it('a dual-era server that rejects the version with its supported list is checked through initialize', async () => {
    const server = await fixture({ supported: ['2025-11-25'], legacy: true });
    const r = await checkServer(spec(server.url));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({ lifecycle: 'initialize', protocolVersion: '2025-11-25' });
    expect(server.requests[0]!.body.method).toBe('server/discover');
    expect(server.requests[1]!.body.method).toBe('initialize');
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('a rejected first choice is retried with a version the server names', async () => {
    const server = await fixture();
    const http = checkFetch(new AbortController().signal);
    try {
      const era = await discoverEra(modernHttpChannel(spec(server.url).launch as never, http.fetch), [
        '2099-01-01',
        '2026-07-28',
      ]);
      expect(era).toMatchObject({ era: 'modern', version: '2026-07-28' });
      expect(server.requests.map((q) => q.headers['mcp-protocol-version'])).toEqual(['2099-01-01', '2026-07-28']);
    } finally {
      http.close();
    }
  });

  it('a server that answers server/discover and then goes away fails at tools, saying so, at once', async () => {
    const server = await fixture({ exitAfterDiscover: true });
    const r = await checkServer(spec(server.url));
    expect(r.checks.find((c) => c.name === 'initialize')?.verdict).toBe('pass');
    expect(r.checks.find((c) => c.verdict === 'fail')).toMatchObject({
      name: 'tools',
      detail: expect.stringMatching(/connection refused|closed the connection/),
    });
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('no version in common is said as such', async () => {
    const server = await fixture({ supported: ['2099-01-01'] });
    const r = await checkServer(spec(server.url));
    expect(r.checks.find((c) => c.verdict === 'fail')?.detail).toMatch(
      /no protocol version in common: the server supports 2099-01-01, mcpform speaks 2026-07-28/,
    );
  });

  it('chooses our most preferred version among those offered; header values outside ASCII go Base64', () => {
    expect(chooseVersion(['2025-11-25', '2026-07-28'])).toBe('2026-07-28');
    expect(chooseVersion(['2025-11-25'])).toBeUndefined();
    expect(chooseVersion('2026-07-28')).toBeUndefined();
    expect(headerValue('get_weather')).toBe('get_weather');
    expect(headerValue('Hello, 世界')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(headerValue(' padded ')).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(headerValue('=?base64?literal?=')).toBe('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
  });
});

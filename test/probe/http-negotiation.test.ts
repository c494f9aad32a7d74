import { afterAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import type { ProbeSpec } from '../../src/probe/types.js';
import { startLenientHttp } from '../fixtures/servers/lenient-http.mjs';
import { startStatelessHttp } from '../fixtures/servers/stateless-http.mjs';

// What the official conformance suite's client scenarios (npm run test:conformance) found,
// proven here on loopback servers of our own.

interface Fixture {
  url: string;
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}
const started: Fixture[] = [];
afterAll(async () => {
  for (const f of started) await f.close();
});
async function start<T extends Fixture>(server: Promise<T>): Promise<T> {
  const f = await server;
  started.push(f);
  return f;
}
const spec = (url: string, extra: Partial<ProbeSpec> = {}): ProbeSpec => ({
  name: 'negotiation',
  launch: { kind: 'http', url, headers: {} },
  timeoutMs: 30_000,
  ...extra,
});
type Seen = { httpMethod?: string; method?: string; lastEventId?: string; headers?: Record<string, string> };

describe('which era a streamable HTTP server speaks', () => {
  it('an initialize-era server that answers server/discover with an empty result is checked through initialize', async () => {
    const server = await start<Fixture>(startLenientHttp());
    const r = await checkServer(spec(server.url));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({
      lifecycle: 'initialize',
      protocolVersion: '2025-11-25',
      serverInfo: { name: 'lenient-fixture' },
    });
    expect((server.requests as Seen[]).filter((q) => q.method).map((q) => q.method)).toContain('initialize');
  });

  it('a call whose SSE stream the server closes after a priming event is resumed by GET with Last-Event-ID', async () => {
    const server = await start<Fixture>(startLenientHttp({ retryMs: 50 }));
    const r = await checkServer(spec(server.url, { call: { tool: 'resume_me', arguments: {}, expect: 'resumed' } }));
    expect(
      r.checks.find((c) => c.name === 'call'),
      JSON.stringify(r.checks),
    ).toMatchObject({ verdict: 'pass' });
    const resumed = (server.requests as Seen[]).filter((q) => q.httpMethod === 'GET' && q.lastEventId);
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('a first request refused as an unsupported version is retried once with the version the server names, even our own', async () => {
    const server = await start<Fixture>(startStatelessHttp({ reject: 1 }));
    const r = await checkServer(spec(server.url));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({ lifecycle: 'discover', protocolVersion: '2026-07-28' });
    const sent = (server.requests as Seen[]).slice(0, 2).map((q) => q.headers?.['mcp-protocol-version']);
    expect(sent).toEqual(['2026-07-28', '2026-07-28']);
  });

  it('a server that refuses the version it names, every time, is said to do so (no endless retry)', async () => {
    const server = await start<Fixture>(startStatelessHttp({ reject: Infinity }));
    const r = await checkServer(spec(server.url));
    expect(r.checks.find((c) => c.verdict === 'fail')?.detail).toMatch(
      /refused protocol 2026-07-28 twice, though it names it as supported/,
    );
    expect(server.requests.length).toBe(2);
  });
});

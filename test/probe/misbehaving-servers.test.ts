import { afterAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import { specFromEntry } from '../../src/probe/specs.js';
import { firstFailure, type ProbeSpec } from '../../src/probe/types.js';
import { fixture } from '../servers.js';
import { leftover } from './leftovers.js';
import { startHostile } from '../fixtures/servers/hostile-http.mjs';
import { runnerWorld } from '../helpers.js';

interface Hostile {
  url: string;
  requests: () => number;
  open(): Promise<number>;
  close(): Promise<void>;
}
const servers: Hostile[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
async function hostile(mode: string): Promise<Hostile> {
  const s = (await startHostile(mode)) as Hostile;
  servers.push(s);
  return s;
}

/** The contract: a verdict within the timeout plus 2 s, whatever the server does. */
const TIMEOUT = 2000;
const BOUND = TIMEOUT + 2000;

const http = (url: string, transport?: 'sse'): ProbeSpec => ({
  name: 'hostile',
  launch: { kind: 'http', url, headers: {}, transport },
  timeoutMs: TIMEOUT,
});

// Concurrent: each case waits out its timeout, on a server of its own.
describe.concurrent('a hostile HTTP server cannot hold the check past its timeout, nor keep a socket', () => {
  it.each([
    ['headers that never come', 'no-headers', undefined],
    ['headers that never come, over SSE', 'no-headers', 'sse'],
    ['a response that never ends', 'endless-body', undefined],
    ['an SSE stream that stays open without an answer', 'sse-open', undefined],
    ['an SSE endpoint that never sends its endpoint event', 'sse-open', 'sse'],
    ['invalid headers', 'invalid-headers', undefined],
    ['invalid headers, over SSE', 'invalid-headers', 'sse'],
    ['a redirect loop', 'redirect-loop', undefined],
  ] as const)('%s', async (_label, mode, transport) => {
    const server = await hostile(mode);
    const t0 = Date.now();
    const r = await checkServer(http(server.url, transport));
    const took = Date.now() - t0;
    expect(r.ok).toBe(false);
    expect(firstFailure(r)?.name).toBe('startup');
    expect(took).toBeLessThan(BOUND);
    expect(await server.open()).toBe(0);
  });

  it('invalid headers fail at once, naming them', async () => {
    const server = await hostile('invalid-headers');
    const r = await checkServer({ ...http(server.url), timeoutMs: 20_000 });
    expect(firstFailure(r)?.detail).toMatch(/invalid HTTP response/);
    expect(r.durationMs).toBeLessThan(10_000);
  });
});

describe('authorization', () => {
  it('401 with an OAuth challenge: needs OAuth sign-in, how to pass a token, and no SSE fallback', async () => {
    const server = await hostile('oauth');
    const r = await checkServer({ ...http(server.url), timeoutMs: 10_000 });
    expect(firstFailure(r)).toMatchObject({ name: 'startup', detail: expect.stringContaining('needs OAuth sign-in') });
    expect(r.hint).toMatch(/headers: \{ Authorization: "Bearer \$\{MY_TOKEN\}" \}/);
    expect(server.requests()).toBe(1);
  });

  it('401 with a plain Bearer challenge: needs a token', async () => {
    const server = await hostile('token');
    const r = await checkServer({ ...http(server.url), timeoutMs: 10_000 });
    expect(firstFailure(r)?.detail).toMatch(/^needs a token \(HTTP 401, WWW-Authenticate: Bearer realm="mcp"\)/);
    expect(server.requests()).toBe(1);
  });

  it('401 although headers carry a token: the credentials were rejected', async () => {
    const server = await hostile('token');
    const spec = { ...http(server.url), timeoutMs: 10_000 };
    const r = await checkServer({
      ...spec,
      launch: { ...spec.launch, headers: { Authorization: 'Bearer tok_secret_42' } } as ProbeSpec['launch'],
      secrets: ['tok_secret_42'],
    });
    expect(firstFailure(r)?.detail).toMatch(/rejected the credentials/);
    expect(JSON.stringify(r)).not.toContain('tok_secret_42');
  });
});

const node = (args: string[], timeoutMs = TIMEOUT) =>
  specFromEntry('stdio', { command: 'node', args }, { timeoutMs }, { world: runnerWorld() });

describe.concurrent('stdio servers', () => {
  it.each([
    ['a child in its own session (setsid) that ignores SIGTERM', []],
    ['an orphan in its own session whose parent exited', ['orphan']],
  ])('%s is killed with the server', async (_label, extra) => {
    const marker = `stray-${process.pid}-${extra.length}`;
    const t0 = Date.now();
    const r = await checkServer(node([fixture('setsid-stray.mjs'), marker, ...extra]));
    expect(Date.now() - t0).toBeLessThan(BOUND);
    expect(firstFailure(r)?.name).toBe('initialize');
    expect(await leftover(marker)).toEqual([]);
  });

  it('a server that answers initialize and then exits is not "exited before answering"', async () => {
    const r = await checkServer(node([fixture('answer-then-exit.mjs')], 10_000));
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.name === 'startup')?.verdict).toBe('pass');
    expect(firstFailure(r)).toMatchObject({
      name: 'tools',
      detail: expect.stringMatching(/answered initialize, then exited with code 0 \d+ ms after start/),
    });
    expect(JSON.stringify(r.checks)).not.toContain('before answering');
  });

  it('roots/list, sampling and elicitation from the server get empty roots and declines', async () => {
    const r = await checkServer(node([fixture('asks-client.mjs')], 10_000));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.tools.map((t) => t.name)).toEqual(['asked']);
  });

  it('a Python stdio server (no dependencies) passes', async () => {
    const r = await checkServer(
      specFromEntry(
        'python',
        { command: 'python3', args: [fixture('py-server.py')] },
        {
          timeoutMs: 20_000,
          expectTools: ['echo', 'add'],
          call: { tool: 'add', arguments: { a: 2, b: 3 }, expect: '5' },
        },
        { world: runnerWorld() },
      ),
    );
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({ lifecycle: 'initialize', serverInfo: { name: 'py-server' } });
  });
});

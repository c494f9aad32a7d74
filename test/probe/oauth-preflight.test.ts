import { afterAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import { specFromEntry } from '../../src/probe/specs.js';
import { firstFailure } from '../../src/probe/types.js';
import { runnerWorld } from '../helpers.js';
import { startOAuthServer, type OAuthServer, type OAuthVariant } from '../oauth-server.js';

const servers: OAuthServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
async function check(variant: OAuthVariant, headers: Record<string, string> = {}) {
  const server = await startOAuthServer(variant);
  servers.push(server);
  const adapter = { name: 'claude-code', launch: 'cli' } as const;
  const spec = specFromEntry(
    'remote',
    { url: server.url, headers },
    { timeoutMs: 10_000 },
    {
      adapter,
      world: runnerWorld(),
    },
  );
  const result = await checkServer(spec);
  const detail = (name: string) => result.checks.find((c) => c.name === name)?.detail ?? '';
  return { result, server, detail };
}

describe('a 401 with OAuth metadata: reachable, sign-in needed in the client', () => {
  it.each([
    ['dynamic registration, metadata named by WWW-Authenticate', {}, 'registration by dynamic registration'],
    ['found at the well-known URL, no header pointer', { header: false }, 'PKCE S256'],
    [
      'a client-ID metadata document',
      { registration: false, clientIdMetadata: true },
      'registration by client-ID metadata document',
    ],
  ] as const)('%s', async (_what, variant, says) => {
    const { result, detail } = await check(variant);
    expect(result.ok, JSON.stringify(result.checks)).toBe(true);
    expect(result.signIn).toBe('claude-code');
    expect(detail('startup')).toBe('reachable (HTTP 401), sign-in needed in claude-code');
    expect(result.checks.find((c) => c.name === 'authorization')).toMatchObject({ verdict: 'pass' });
    expect(detail('authorization')).toContain('issuer matches');
    expect(detail('authorization')).toContain(says);
    expect(result.tools).toEqual([]);
  });

  it('no way to register: passes with a warning (only a pre-registered client ID can sign in)', async () => {
    const { result } = await check({ registration: false });
    expect(result.ok).toBe(true);
    expect(result.checks.find((c) => c.name === 'authorization')).toMatchObject({
      verdict: 'warn',
      detail: expect.stringContaining('pre-registered client ID'),
    });
  });
});

describe('a 401 with broken OAuth metadata: the precise misconfiguration', () => {
  it.each([
    ['the named metadata is missing', { noResourceMetadata: true }, 'no usable protected-resource metadata at http://'],
    ['resource names another server', { resource: 'https://elsewhere.example/mcp' }, 'does not cover the server'],
    ['no authorization-server metadata', { noServerMetadata: true }, 'no authorization-server metadata for'],
    ['issuer mismatch', { issuer: 'https://impostor.example/as' }, 'says issuer https://impostor.example/as, not'],
    ['PKCE without S256', { pkce: ['plain'] }, 'offers PKCE plain, not S256'],
    ['PKCE methods not listed', { pkce: null }, 'does not list code_challenge_methods_supported'],
  ] as const)('%s', async (_what, variant, says) => {
    const { result } = await check(variant);
    expect(result.ok).toBe(false);
    expect(result.signIn).toBeUndefined();
    expect(firstFailure(result)).toMatchObject({ name: 'startup', detail: expect.stringContaining(says) });
    expect(firstFailure(result)!.detail).toContain('no client can sign in');
    expect(result.hint).toContain('OAuth metadata needs fixing');
  });

  it('a 401 and no OAuth metadata anywhere is still "needs a token"', async () => {
    const { result } = await check({ header: false, noResourceMetadata: true });
    expect(result.ok).toBe(false);
    expect(firstFailure(result)!.detail).toMatch(/^needs a token \(HTTP 401/);
  });
});

describe('a token from the environment still gets the full handshake', () => {
  it('the right token: connected, tools listed, no sign-in', async () => {
    const { result, server } = await check({}, { Authorization: 'Bearer tok-oauth-test-7' });
    expect(server.token).toBe('tok-oauth-test-7');
    expect(result.ok, JSON.stringify(result.checks)).toBe(true);
    expect(result.signIn).toBeUndefined();
    expect(result.tools.map((t) => t.name)).toEqual(['echo']);
    expect(result.checks.some((c) => c.name === 'authorization')).toBe(false);
  });

  it('a wrong token: the credentials were rejected (no preflight can excuse it)', async () => {
    const { result } = await check({}, { Authorization: 'Bearer stale' });
    expect(result.ok).toBe(false);
    expect(firstFailure(result)!.detail).toContain('rejected the credentials');
  });
});

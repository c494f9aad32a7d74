import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { startOAuthServer, type OAuthServer, type OAuthVariant } from '../oauth-server.js';

const servers: OAuthServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function project(variant: OAuthVariant) {
  const server = await startOAuthServer(variant);
  servers.push(server);
  const sb = sandbox({
    'mcp.yaml': `version: 1\ntargets: [claude-code]\nservers:\n  remote:\n    url: ${server.url}\n`,
  });
  writeJson(sb.env.MCPFORM_CLAUDE_CODE_CONFIG!, {});
  const cli = (...args: string[]) => runCli(args, { cwd: sb.path(''), env: sb.env });
  return { sb, cli };
}

describe('apply and lock with a server that waits for OAuth sign-in', () => {
  it('apply writes it (no rollback) and test says sign-in is needed; mcp.lock records no tools for it', async () => {
    const { sb, cli } = await project({});
    const applied = await cli('apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    const written = JSON.parse(readFileSync(sb.env.MCPFORM_CLAUDE_CODE_CONFIG!, 'utf8'));
    expect(written.mcpServers.remote).toMatchObject({ type: 'http', url: expect.stringContaining('/mcp') });
    const tested = await cli('test');
    expect(tested.code, tested.stdout).toBe(0);
    expect(tested.stdout).toContain('sign-in needed in claude-code');
    if (existsSync(sb.path('mcp.lock')))
      expect(parse(readFileSync(sb.path('mcp.lock'), 'utf8')).servers.remote).toBeUndefined();
    const locked = await cli('lock');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('it needs sign-in in claude-code');
  });

  it('broken metadata (issuer mismatch) rolls apply back, naming it', async () => {
    const { cli } = await project({ issuer: 'https://impostor.example/as' });
    const applied = await cli('apply', '--yes');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('rolled back');
    expect(applied.stderr).toContain('says issuer https://impostor.example/as');
  });
});

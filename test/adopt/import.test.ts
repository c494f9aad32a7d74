import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { fixture } from '../servers.js';

const SECRETS = ['ghp_live_abcdefghijklmnop', 'sk-live-0123456789', 'Bearer docs-token-xyz', 'pg-pass-!@#$ 42'];

const REALISTIC = {
  globalShortcut: 'Alt+Space',
  mcpServers: {
    github: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: SECRETS[0], LOG_LEVEL: 'info' },
    },
    search: { command: '/usr/local/bin/search-mcp', args: ['--api-key', SECRETS[1], '--region=eu'], disabled: false },
    notes: {
      command: '/home/me/notes/.venv/bin/python',
      args: ['-m', 'notes_mcp', '--transport', 'stdio'],
      cwd: '/home/me/notes',
      env: { PYTHONUNBUFFERED: '1' },
    },
    docs: {
      command: 'npx',
      args: ['-y', 'mcp-remote', 'https://mcp.example.com/mcp', '--header', `Authorization: ${SECRETS[2]}`],
    },
    postgres: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/app'],
      env: { PGPASSWORD: SECRETS[3], PGUSER: 'app' },
      'x-note': { owner: 'me' },
    },
    tiny: { command: 'node', args: [fixture('tiny-server.mjs')], env: { API_TOKEN: 'tiny-secret-value-1' } },
  },
  preferences: { quickEntry: true },
};

describe('init --import', () => {
  it('imports a realistic config: secrets into .env, plan says No changes, the first apply adopts without changing the file', async () => {
    const sb = sandbox();
    writeJson(sb.claudeConfig, REALISTIC);
    const original = readFileSync(sb.claudeConfig);
    const r = await runCli(['init', '--import'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported 6 servers');

    const yaml = readFileSync(sb.path('mcp.yaml'), 'utf8');
    for (const secret of [...SECRETS, 'tiny-secret-value-1']) expect(yaml).not.toContain(secret);
    expect(yaml).toContain('GITHUB_PERSONAL_ACCESS_TOKEN: ${GITHUB_PERSONAL_ACCESS_TOKEN}');
    expect(yaml).toContain('/home/me/notes/.venv/bin/python');
    expect(statSync(sb.path('.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(sb.path('.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(readFileSync(sb.path('.env'), 'utf8')).toContain(SECRETS[0]);

    const validate = await runCli(['validate'], { cwd: sb.path(''), env: sb.env });
    expect(validate.code, validate.stderr).toBe(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('Will adopt');
    for (const secret of SECRETS) expect(plan.stdout).not.toContain(secret);

    const apply = await runCli(['apply', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(sb.claudeConfig).equals(original)).toBe(true);
    const after = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect(after.stdout).toContain('No changes.');
    expect(after.stdout).not.toContain('Will adopt');
  });

  it('refuses to overwrite mcp.yaml without --force, and a missing client config is a clear error', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\n' });
    expect((await runCli(['init', '--import'], { cwd: sb.path(''), env: sb.env })).stderr).toContain('already exists');
    const r = await runCli(['init', '--import', '--force'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no Claude Desktop config');
    expect(readFileSync(sb.path('mcp.yaml'), 'utf8')).toBe('version: 1\n');
  });
});

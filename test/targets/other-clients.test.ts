import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/config/load.js';
import { claudeCode } from '../../src/targets/clients/claude-code.js';
import { cursor } from '../../src/targets/clients/cursor.js';
import { runCli, sandbox, writeJson, testWorld } from '../helpers.js';
import { fixture } from '../servers.js';
import { clientCatalog } from '../../src/targets/index.js';

const YAML = (targets: string) => `version: 1
targets: ${targets}
servers:
  tiny:
    command: node
    args: ["${fixture('tiny-server.mjs')}"]
    env: { API_TOKEN: "\${TOKEN}" }
  docs:
    url: https://docs.example.test/mcp
    headers: { Authorization: "Bearer \${TOKEN}" }
    test: { skip: true }
`;

describe('Cursor and Claude Code adapters', () => {
  const state = () => {
    const sb = sandbox({ 'mcp.yaml': YAML('[cursor]') });
    return loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world: testWorld({ env: { TOKEN: 't-1' } }) });
  };

  it('Cursor: stdio entries as Claude Desktop, remote servers natively (url + headers)', () => {
    const [tiny, docs] = state().servers.map((s) => cursor.render(s, new Map(), undefined, 'linux'));
    expect(tiny!.entry).toEqual({ command: 'node', args: [fixture('tiny-server.mjs')], env: { API_TOKEN: 't-1' } });
    expect(docs!.entry).toEqual({ url: 'https://docs.example.test/mcp', headers: { Authorization: 'Bearer t-1' } });
    expect([...docs!.sensitive]).toEqual(['/headers/Authorization']);
  });

  it('Claude Code: typed entries (stdio / http / sse)', () => {
    const [tiny, docs] = state().servers.map((s) => claudeCode.render(s, new Map(), undefined, 'linux'));
    expect(tiny!.entry).toMatchObject({ type: 'stdio', command: 'node' });
    expect(docs!.entry).toEqual({
      type: 'http',
      url: 'https://docs.example.test/mcp',
      headers: { Authorization: 'Bearer t-1' },
    });
  });

  it('default paths: ~/.cursor/mcp.json and ~/.claude.json', () => {
    expect(cursor.resolvePath({ name: 'cursor' }, testWorld({ env: { HOME: '/h' } }))).toBe('/h/.cursor/mcp.json');
    expect(claudeCode.resolvePath({ name: 'claude-code' }, testWorld({ env: { HOME: '/h' } }))).toBe('/h/.claude.json');
  });

  it('one apply writes every target; the rest of ~/.claude.json survives; --target limits plan to one', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML('[claude-desktop, cursor, claude-code]') });
    const claudeJson = sb.env.MCPFORM_CLAUDE_CODE_CONFIG!;
    writeJson(claudeJson, {
      numStartups: 42,
      projects: { '/work': { history: ['a'] } },
      mcpServers: { mine: { type: 'stdio', command: 'x' } },
    });
    const env = { ...sb.env, TOKEN: 'tok-secret-77' };
    const r = await runCli(['apply', '--yes'], { cwd: sb.path(''), env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete! 6 added');
    const code = JSON.parse(readFileSync(claudeJson, 'utf8'));
    expect(code.numStartups).toBe(42);
    expect(code.projects).toEqual({ '/work': { history: ['a'] } });
    expect(Object.keys(code.mcpServers)).toEqual(['mine', 'tiny', 'docs']);
    expect(JSON.parse(readFileSync(sb.env.MCPFORM_CURSOR_CONFIG!, 'utf8')).mcpServers.docs.url).toBe(
      'https://docs.example.test/mcp',
    );
    expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.docs.args).toContain('mcp-remote');

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env });
    expect(plan.code, plan.stdout).toBe(0);
    const only = await runCli(['plan', '--target', 'cursor'], { cwd: sb.path(''), env });
    expect(only.stdout).toContain('Target cursor:');
    expect(only.stdout).not.toContain('Target claude-code:');
    for (const out of [r.stdout, r.stderr, plan.stdout]) expect(out).not.toContain('tok-secret-77');
  });
});

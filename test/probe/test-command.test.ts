import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { fixture, SERVERS } from '../servers.js';

const yaml = (extra = '') => `version: 1
servers:
  memory:
    command: node
    args: ["${SERVERS.memory}"]
    env: { MEMORY_FILE_PATH: "\${MEM_FILE}", API_TOKEN: "\${SECRET_TOKEN}" }
    test: { expectTools: [read_graph] }
  broken:
    command: node
    args: ["${fixture('exits-at-once.mjs')}"]
    test: { timeout: 5s }
${extra}`;

describe('mcpform test', () => {
  it('tests declared servers: table, JSON, Markdown report, exit 1 on a failure, no secret anywhere', async () => {
    const sb = sandbox({ 'mcp.yaml': yaml() });
    const env = { ...sb.env, MEM_FILE: `${sb.dir}/mem.jsonl`, SECRET_TOKEN: 'tok_VERY_SECRET_1234' };
    const text = await runCli(['test', '--report', 'report.md'], { cwd: sb.path(''), env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/memory\s+ok\s+20\d\d-\d\d-\d\d\s+9/);
    expect(text.stdout).toMatch(/broken\s+FAIL \(startup\)/);
    expect(text.stdout).toContain('GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required');
    const report = readFileSync(sb.path('report.md'), 'utf8');
    expect(report).toContain('# MCP server integration report');
    expect(report).toContain('### Troubleshooting');
    const json = await runCli(['test', 'memory', '--json'], { cwd: sb.path(''), env });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ server: 'memory', ok: true, lifecycle: 'initialize' });
    for (const out of [text.stdout, text.stderr, json.stdout, report])
      expect(out).not.toContain('tok_VERY_SECRET_1234');
  });

  it('--report gives a remote server advice about its URL, not about a process', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  gone:\n    url: http://127.0.0.1:9/mcp\n' });
    const r = await runCli(['test', '--report', 'report.md'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    const report = readFileSync(sb.path('report.md'), 'utf8');
    expect(report).toContain('The server could not be reached or refused the connection. Check the URL');
    expect(report).not.toContain('The process exited');
  });

  it('--live tests the entries in the client file, unmanaged ones included', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    writeJson(sb.claudeConfig, {
      mcpServers: { 'hand-made': { command: 'node', args: [fixture('tiny-server.mjs')] } },
    });
    const r = await runCli(['test', '--live'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hand-made\s+ok/);
  });

  it('--live checks a remote entry at its URL', async () => {
    const { startEverythingHttp } = await import('../servers.js');
    const { url } = await startEverythingHttp('streamableHttp');
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    writeJson(sb.claudeConfig, { mcpServers: { remote: { url, headers: { 'X-Api-Key': 'live-secret-9' } } } });
    const r = await runCli(['test', '--live', '--json'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ server: 'remote', ok: true });
    expect(r.stdout).not.toContain('live-secret-9');
  });

  it('an unknown server name is an error listing the known ones', async () => {
    const sb = sandbox({ 'mcp.yaml': yaml() });
    const r = await runCli(['test', 'nope'], {
      cwd: sb.path(''),
      env: { ...sb.env, MEM_FILE: 'x', SECRET_TOKEN: 'y' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown server nope');
    expect(r.stderr).toContain('memory, broken');
  });
});

describe('Ctrl-C', () => {
  it('interrupting mcpform test kills every server it started', async () => {
    const { spawn, execSync } = await import('node:child_process');
    const { CLI } = await import('../helpers.js');
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  hung1:\n    command: node\n    args: ["${fixture('never-answers.mjs')}", "ctrl-c-marker"]\n  hung2:\n    command: node\n    args: ["${fixture('never-answers.mjs')}", "ctrl-c-marker"]\n`,
    });
    const alive = () =>
      execSync('ps -eo stat=,args=')
        .toString()
        .split('\n')
        .filter((l) => l.includes('ctrl-c-marker') && !l.trim().startsWith('Z')).length;
    const child = spawn(process.execPath, [CLI, 'test'], { cwd: sb.path(''), env: sb.env, stdio: 'ignore' });
    for (let i = 0; i < 100 && alive() < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(2);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive()).toBe(0);
  });
});

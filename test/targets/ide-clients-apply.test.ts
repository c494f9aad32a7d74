import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';
import { SERVERS, startEverythingHttp } from '../servers.js';

describe('apply to Windsurf, Cline and Kiro at their own paths', () => {
  it('one apply, real checks (server-memory over stdio, everything over streamable HTTP); hand-made entries kept; then "No changes." for each', async () => {
    const { url } = await startEverythingHttp('streamableHttp');
    const sb = sandbox();
    const memoryFile = join(sb.dir, 'memory.jsonl');
    sb.write(
      'mcp.yaml',
      `version: 1
targets: [windsurf, cline, kiro]
servers:
  memory:
    command: node
    args: ["${SERVERS.memory}"]
    env: { MEMORY_FILE_PATH: "${memoryFile}", API_TOKEN: "\${TOKEN}" }
  everything:
    url: ${url}
    headers: { Authorization: "Bearer \${TOKEN}" }
`,
    );
    // No MCPFORM_*_CONFIG for these three: the files are found where the clients keep them.
    const windsurf = join(sb.home, '.codeium', 'windsurf', 'mcp_config.json');
    const cline = join(sb.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json');
    const kiro = join(sb.home, '.kiro', 'settings', 'mcp.json');
    writeJson(windsurf, { mcpServers: { mine: { command: 'uvx', args: ['mcp-server-git'] } } });
    writeJson(cline, {
      mcpServers: { mine: { type: 'sse', url: 'https://x.example.test/sse', autoApprove: ['a'], oauth: { t: 1 } } },
    });
    writeJson(kiro, { mcpServers: { mine: { command: 'x', disabled: true, autoApprove: ['y'] } } });
    const before = { cline: JSON.parse(readFileSync(cline, 'utf8')).mcpServers.mine };

    const env = { ...sb.env, TOKEN: 'tok-secret-93' };
    const r = await runCli(['apply', '--yes'], { cwd: sb.path(''), env });
    expect(r.code, r.stderr).toBe(0);
    // Each target's entries are checked: three times each server.
    expect(r.stderr.match(/✓ memory: ok/g)).toHaveLength(3);
    expect(r.stderr.match(/✓ everything: ok/g)).toHaveLength(3);
    expect(r.stdout).toContain('Apply complete! 6 added');

    const w = JSON.parse(readFileSync(windsurf, 'utf8')).mcpServers;
    expect(Object.keys(w)).toEqual(['mine', 'memory', 'everything']);
    expect(w.everything).toEqual({ serverUrl: url, headers: { Authorization: 'Bearer tok-secret-93' } });
    const c = JSON.parse(readFileSync(cline, 'utf8')).mcpServers;
    expect(c.mine).toEqual(before.cline);
    expect(c.memory.type).toBe('stdio');
    expect(c.everything).toMatchObject({ type: 'streamableHttp', url });
    const k = JSON.parse(readFileSync(kiro, 'utf8')).mcpServers;
    expect(k.mine).toEqual({ command: 'x', disabled: true, autoApprove: ['y'] });
    expect(k.everything).toEqual({ url, headers: { Authorization: 'Bearer tok-secret-93' } });

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env });
    expect(plan.code, plan.stdout).toBe(0);
    for (const target of ['windsurf', 'cline', 'kiro']) {
      const one = await runCli(['plan', '--target', target], { cwd: sb.path(''), env });
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toContain('No changes.');
    }
    for (const out of [r.stdout, r.stderr, plan.stdout]) expect(out).not.toContain('tok-secret-93');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';

// What `cline mcp add --yes` (cline 3.0.65) writes: the nested form (scripts/clients, docs/clients-stage.md).
const NESTED = {
  hs: { transport: { type: 'stdio', command: 'node', args: ['/srv/server.js'] }, disabled: false },
  hh: { transport: { type: 'streamableHttp', url: 'http://127.0.0.1:9/mcp' } },
};

describe("Cline's nested `transport` entries", () => {
  it('plan as "No changes." against the same servers; a change rewrites the entry flat, keeping its own fields', async () => {
    const sb = sandbox();
    const file = join(sb.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json');
    writeJson(file, { mcpServers: NESTED });
    const yaml = (script: string) =>
      `version: 1\ntargets: [cline]\nservers:\n  hs: { command: node, args: ["${script}"] }\n  hh: { url: "http://127.0.0.1:9/mcp" }\n`;
    sb.write('mcp.yaml', yaml('/srv/server.js'));

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: sb.path(''), env: sb.env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    sb.write('mcp.yaml', yaml('/srv/other.js'));
    const apply = await runCli(['apply', '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const servers = JSON.parse(readFileSync(file, 'utf8')).mcpServers;
    expect(servers.hs).toEqual({ disabled: false, type: 'stdio', command: 'node', args: ['/srv/other.js'] });
    expect(servers.hh).toEqual(NESTED.hh);
  });
});

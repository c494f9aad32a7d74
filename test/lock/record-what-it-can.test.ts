import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, sandbox, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const tool = (name: string) => ({ name, description: `${name}s`, inputSchema: { type: 'object' } });

/** `good` (a real server whose tools come from tools.json) beside `others` (YAML lines). */
function project(others: string): Sandbox {
  const sb = sandbox({ 'tools.json': JSON.stringify([tool('read')]) });
  sb.write(
    'mcp.yaml',
    `version: 1\nservers:\n  good:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { TOOLS_FILE: "${sb.path('tools.json')}" }\n${others}`,
  );
  return sb;
}
const GHOST = '  ghost:\n    command: no-such-mcp-command-4711\n';
const lockCli = (sb: Sandbox, ...args: string[]) => runCli(['lock', ...args], { cwd: sb.path(''), env: sb.env });
const lockFile = (sb: Sandbox) =>
  parse(readFileSync(sb.path('mcp.lock'), 'utf8')) as {
    servers: Record<string, { tools?: { names: string[] }; skipped?: true }>;
  };

describe('mcpform lock records what it can', () => {
  it('an unreachable server fails lock, but the others are recorded', async () => {
    const sb = project(GHOST);
    const r = await lockCli(sb);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot record the tools of ghost');
    expect(r.stderr).toContain('mcp.lock records the rest (good)');
    expect(lockFile(sb).servers.good!.tools!.names).toEqual(['read']);
    expect(lockFile(sb).servers.ghost).toBeUndefined();
  });

  it("lock --update NAME accepts a reviewed change although another server is unreachable; that one's own update still fails", async () => {
    const sb = project('');
    expect((await lockCli(sb)).code).toBe(0);
    sb.write('mcp.yaml', readFileSync(sb.path('mcp.yaml'), 'utf8') + GHOST);
    writeFileSync(sb.path('tools.json'), JSON.stringify([tool('read'), tool('write')]));
    const r = await lockCli(sb, '--update', 'good', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { recorded: string[]; unrecorded: string[] };
    expect(doc).toMatchObject({ recorded: ['good'], unrecorded: ['ghost'] });
    expect(lockFile(sb).servers.good!.tools!.names).toEqual(['read', 'write']);
    const text = await lockCli(sb, '--update', 'good');
    expect(text.stdout).toContain('could not record the tools of ghost');
    const named = await lockCli(sb, '--update', 'ghost');
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('cannot record the tools of ghost');
  });

  it('test: { skip: true } is not started: no fingerprint, recorded as skipped, until the skip goes', async () => {
    const sb = project('  later:\n    command: no-such-mcp-command-4711\n    test: { skip: true }\n');
    const r = await lockCli(sb, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ skipped: ['later'], unrecorded: [] });
    expect(lockFile(sb).servers.later).toEqual({ skipped: true });
    expect((await lockCli(sb)).stdout).toContain('skipped later (test: { skip: true })');
    // Without the skip it is started (and fails here): the marker is gone, no fingerprint appears.
    sb.write('mcp.yaml', readFileSync(sb.path('mcp.yaml'), 'utf8').replace('    test: { skip: true }\n', ''));
    expect((await lockCli(sb)).code).toBe(1);
    expect(lockFile(sb).servers.later).toBeUndefined();
  });
});

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, sandbox, writeJson } from '../helpers.js';

const modeline = (text: string) => /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
const format = (text: string) => /Format: (.+)$/m.exec(text)![1]!;

describe('the starter mcp.yaml links only to files that exist', () => {
  it('a project with mcpform in node_modules: relative paths into it (they work for every clone)', async () => {
    const sb = sandbox({
      'node_modules/mcpform/schemas/mcp.schema.json': '{}',
      'node_modules/mcpform/docs/reference.md': '#',
    });
    const r = await runCli(['init'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(sb.path('mcp.yaml'), 'utf8');
    expect(modeline(text)).toBe('./node_modules/mcpform/schemas/mcp.schema.json');
    expect(existsSync(sb.path(format(text)))).toBe(true);
  });

  it.each([[['init']], [['init', '--import']]])(
    '%j without a local install (global, or a clone): the running copy, by absolute path',
    async (args) => {
      const sb = sandbox();
      writeJson(sb.claudeConfig, { mcpServers: { memory: { command: 'npx', args: ['-y', 'x'] } } });
      const r = await runCli(args, { cwd: sb.path(''), env: sb.env });
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(sb.path('mcp.yaml'), 'utf8');
      expect(isAbsolute(modeline(text))).toBe(true);
      expect(JSON.parse(readFileSync(modeline(text), 'utf8'))).toMatchObject({ title: 'mcpform mcp.yaml' });
      if (args.length === 1) expect(format(text)).toMatch(/docs[/\\]reference\.md$/);
      if (args.length === 1) expect(existsSync(format(text))).toBe(true);
    },
  );
});

describe('init --import leaves out what another project manages', () => {
  it('an entry another mcp.yaml owns is not imported, is said with the way out, and plan says "No changes."', async () => {
    const sb = sandbox({ 'a/.keep': '', 'b/.keep': '' });
    const tiny = { command: 'node', args: [join(FIXTURES, 'servers', 'tiny-server.mjs')] };
    writeJson(sb.claudeConfig, { mcpServers: { tiny } });
    const a = { cwd: sb.path('a'), env: sb.env };
    expect((await runCli(['init', '--import'], a)).code).toBe(0);
    const applied = await runCli(['apply', '--yes', '--no-test'], a);
    expect(applied.code, applied.stderr).toBe(0);
    // A hand-made server added later: B may import that one.
    const file = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')) as { mcpServers: Record<string, unknown> };
    writeJson(sb.claudeConfig, {
      mcpServers: { ...file.mcpServers, mine: { command: 'node', args: ['/opt/mine.js'] } },
    });

    const b = { cwd: sb.path('b'), env: sb.env };
    const init = await runCli(['init', '--import'], b);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Left out claude-desktop tiny: ${realpathSync(sb.path('a/mcp.yaml'))} manages it`);
    expect(init.stdout).toContain("remove it from that mcp.yaml, run 'mcpform apply' there");
    expect(readFileSync(sb.path('b/mcp.yaml'), 'utf8')).not.toMatch(/^ {2}tiny:/m);
    expect(readFileSync(sb.path('b/mcp.yaml'), 'utf8')).toMatch(/^ {2}mine:/m);
    const plan = await runCli(['plan', '--detailed-exitcode'], b);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});

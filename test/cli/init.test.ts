import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox, writeJson } from '../helpers.js';

const modeline = (text: string) => /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
const format = (text: string) => /Format: (.+)$/m.exec(text)![1]!;

describe('the starter mcp.yaml links only to files that exist', () => {
  it('a project with mcpform in node_modules: relative paths into it (they work for every clone)', async () => {
    const sb = sandbox({ 'node_modules/mcpform/schemas/mcp.schema.json': '{}', 'node_modules/mcpform/README.md': '#' });
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
      if (args.length === 1) expect(existsSync(format(text))).toBe(true);
    },
  );
});

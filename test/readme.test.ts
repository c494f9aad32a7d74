import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, sandbox } from './helpers.js';

/*
 * The README's first ten minutes, run as written: every `sh` block of that section, in
 * order, as one `sh -e` script with the built binary as `mcpform` on PATH, in a sandbox HOME
 * whose Claude Desktop config holds a hand-made server, as a reader's would.
 */

const SECTION = '## The first ten minutes';

/** The `sh` blocks of the README's first-ten-minutes section, in order. */
function firstTenMinutes(readme: string): string[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The commands of a script, comments and blank lines left out. */
const commands = (script: string): string[] =>
  script
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));

function run(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // -x: the failing command is named in the output.
    const child = spawn('sh', ['-e', '-x', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const sh = (path: string, body: string): void => {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
};

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('walks import, plan, apply, test and rollback, in that order', () => {
    const steps = commands(firstTenMinutes(readme).join('\n'));
    const at = (prefix: string) => steps.findIndex((c) => c.startsWith(prefix));
    const order = [
      at('mcpform init --import'),
      at('mcpform plan'),
      at('mcpform apply --yes'),
      at('mcpform test'),
      at('mcpform rollback --yes'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Nothing a reader runs overwrites a file of theirs.
    expect(steps.filter((c) => />\s*\S/.test(c))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'first ten minutes run as written and leave the client file as it was',
    { timeout: 300_000 },
    async () => {
      const sb = sandbox();
      const bin = join(sb.dir, 'bin');
      mkdirSync(bin, { recursive: true });
      sh(join(bin, 'mcpform'), `exec '${process.execPath}' '${CLI}' "$@"`);
      // The registry is out of reach in tests: `npx -y` of the README's server runs the copy
      // installed here (the real server, real handshake); anything else fails loudly.
      const memory = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
      sh(
        join(bin, 'npx'),
        `if [ "$1" = -y ] && [ "$2" = @modelcontextprotocol/server-memory ]; then exec '${process.execPath}' '${memory}'; fi\necho "npx stand-in: unexpected $*" >&2\nexit 1`,
      );
      // Claude Desktop's own layout: two-space JSON, a key of its own, a hand-made server
      // with a secret in its env (import moves it to .env).
      const before = `${JSON.stringify(
        {
          mcpServers: {
            notes: {
              command: 'node',
              args: [join(FIXTURES, 'servers', 'tiny-server.mjs')],
              env: { NOTES_API_KEY: 'sk-live-4f9b2c7e1a8d3f60' },
            },
          },
          globalShortcut: 'Ctrl+Space',
        },
        null,
        2,
      )}\n`;
      mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
      writeFileSync(sb.claudeConfig, before);

      const script = firstTenMinutes(readme).join('\n');
      const env = { ...sb.env, PATH: `${bin}:${sb.env.PATH}` };
      const { code, out } = await run(script, sb.dir, env);

      expect(out, out).not.toContain('npx stand-in: unexpected');
      expect(code, out).toBe(0);
      // The walk did change the file, and the rollback undid exactly that.
      expect(out).toContain('Apply complete! 1 added, 0 changed, 0 removed.');
      expect(out).toMatch(/Rolled back .*claude_desktop_config\.json/);
      expect(readFileSync(sb.claudeConfig)).toEqual(Buffer.from(before));
      const project = join(sb.home, 'mcp-servers');
      expect(readFileSync(join(project, '.env'), 'utf8')).toContain('sk-live-4f9b2c7e1a8d3f60');
      expect(readFileSync(join(project, 'mcp.yaml'), 'utf8')).not.toContain('sk-live-4f9b2c7e1a8d3f60');
      // The README tells the reader to commit mcp.lock: the walk made one, with both servers' tools.
      expect(readFileSync(join(project, 'mcp.lock'), 'utf8')).toMatch(/memory[\s\S]*notes|notes[\s\S]*memory/);
    },
  );
});

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOwnership, writeOwnership } from '../../src/state/ownership.js';
import { sha256 } from '../../src/util/hash.js';
import { CLI, runCli, sandbox, until, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

/*
 * A client file is one file however it is reached: the mutex, the ownership records and
 * same-file detection key on its real path. Two projects share one state dir (one user) and
 * one client file, one of them through a symlink.
 */

const server = (name: string, env: Record<string, string> = {}) =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: ${JSON.stringify(env)}\n`;

/** Project `a` reaches the file directly, project `b` through a symlinked folder (`linked`) or file (`link.json`). */
function setup(via: 'folder' | 'file', a: string, b: string) {
  const sb = sandbox({ 'a/mcp.yaml': `version: 1\nservers:\n${a}`, 'b/mcp.yaml': `version: 1\nservers:\n${b}` });
  mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
  writeFileSync(sb.claudeConfig, '{"mcpServers":{}}\n');
  let link: string;
  if (via === 'folder') {
    symlinkSync(join(sb.claudeConfig, '..'), join(sb.dir, 'linked'));
    link = join(sb.dir, 'linked', 'claude_desktop_config.json');
  } else {
    link = join(sb.dir, 'link.json');
    symlinkSync(sb.claudeConfig, link);
  }
  const envB = { ...sb.env, MCPFORM_CLAUDE_DESKTOP_CONFIG: link };
  return { sb, link, envB };
}

const servers = (sb: Sandbox) => Object.keys(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers).sort();

describe('a symlinked client file', () => {
  it('two applies through the two paths serialize: the second waits for the first', async () => {
    const go = join(sandbox().dir, 'go');
    const pid = join(sandbox().dir, 'a.pid');
    const { sb, envB } = setup('folder', server('a', { WAIT_FOR: go, PID_FILE: pid }), server('b'));
    const first = spawn(process.execPath, [CLI, 'apply', '--yes'], { cwd: sb.path('a'), env: sb.env, stdio: 'pipe' });
    let firstErr = '';
    first.stderr.on('data', (d) => (firstErr += d));
    const firstDone = new Promise<number | null>((r) => first.on('exit', (c) => r(c)));
    await until("a's check", () => existsSync(pid) && readFileSync(pid, 'utf8') !== '');
    // While a holds the file, b (through the other path) may not even start.
    const refused = await runCli(['apply', '--yes'], {
      cwd: sb.path('b'),
      env: { ...envB, MCPFORM_LOCK_TIMEOUT_MS: '0' },
    });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/is locked by process \d+/);
    // b waiting (the default) runs once a is done, from the file a left.
    const waiting = runCli(['apply', '--yes'], {
      cwd: sb.path('b'),
      env: { ...envB, MCPFORM_LOCK_TIMEOUT_MS: '60000' },
    });
    writeFileSync(go, '');
    expect(await firstDone, firstErr).toBe(0);
    const second = await waiting;
    expect(second.code, second.stderr).toBe(0);
    expect(servers(sb)).toEqual(['a', 'b']);
  });

  it("--prune through the symlink does not delete another project's servers", async () => {
    const { sb, envB } = setup('file', server('a'), server('b'));
    const a = await runCli(['apply', '--yes'], { cwd: sb.path('a'), env: sb.env });
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(['apply', '--prune', '--yes'], { cwd: sb.path('b'), env: envB });
    expect(b.code, b.stderr).toBe(0);
    expect(servers(sb)).toEqual(['a', 'b']);
    expect(b.stdout).toContain(`Managed by ${sb.path('a/mcp.yaml')} (left alone, --prune included): a`);
    // One record for the one file.
    expect(readdirSync(join(sb.stateDir, 'targets'))).toHaveLength(1);
  });

  it('two targets that are the same file through a symlink are one file', async () => {
    const { sb, link } = setup('file', server('a'), server('b'));
    sb.write('both/mcp.yaml', `version: 1\ntargets: [claude-desktop, cursor]\nservers:\n${server('a')}`);
    const r = await runCli(['plan'], { cwd: sb.path('both'), env: { ...sb.env, MCPFORM_CURSOR_CONFIG: link } });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/targets claude-desktop and cursor both manage "mcpServers"/);
  });
});

describe('ownership records made before real paths', () => {
  it('a record kept under the symlink path is still read, and moves to the real path on the next write', async () => {
    const { sb, link } = setup('file', '', '');
    const legacy = join(sb.stateDir, 'targets', `claude-desktop-${sha256(link).slice(7, 23)}.json`);
    mkdirSync(join(legacy, '..'), { recursive: true });
    const entry = { owner: '/p/mcp.yaml', hash: 'unknown', appliedAt: '2026-01-01T00:00:00Z', environment: 'dev' };
    writeFileSync(
      legacy,
      JSON.stringify({ formatVersion: 2, target: 'claude-desktop', path: link, servers: { x: entry } }),
    );
    expect(readOwnership('claude-desktop', link, sb.world).servers).toEqual({ x: entry });
    await writeOwnership(readOwnership('claude-desktop', link, sb.world), sb.world);
    expect(existsSync(legacy)).toBe(false);
    expect(readOwnership('claude-desktop', sb.claudeConfig, sb.world).servers).toEqual({ x: entry });
  });
});

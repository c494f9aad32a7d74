// Runs on Windows Node (node:test; vitest cannot start under Wine): npm run test:windows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { whichCommand } from '../../src/probe/environment.js';
import { checkConfiguration } from '../../src/probe/prepare.js';
import { SpawnedServer, type StdioLaunch } from '../../src/probe/spawn.js';
import { claudeDesktopPath } from '../../src/targets/clients/claude-desktop.js';
import { adapterFor } from '../../src/targets/index.js';
import type { DesiredServer } from '../../src/config/types.js';

const world = { env: process.env, platform: process.platform, home: process.env.USERPROFILE };

test('this is Windows Node', () => {
  assert.equal(process.platform, 'win32');
});

test('PATH lookup finds npx.cmd and node.exe as named, and npx through PATHEXT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpform-pathext-'));
  writeFileSync(join(dir, 'npx.cmd'), '@echo off\r\n');
  writeFileSync(join(dir, 'node.exe'), '');
  const env = { PATH: dir, PATHEXT: '.COM;.EXE;.BAT;.CMD' };
  const where = { platform: process.platform };
  assert.equal(whichCommand('npx.cmd', env, where)?.toLowerCase(), join(dir, 'npx.cmd').toLowerCase());
  assert.equal(whichCommand('node.exe', env, where)?.toLowerCase(), join(dir, 'node.exe').toLowerCase());
  assert.equal(whichCommand('npx', env, where)?.toLowerCase(), join(dir, 'npx.cmd').toLowerCase());
  assert.equal(whichCommand('npm', env, where), undefined);
});

test('Claude Desktop: %APPDATA%\\Claude, else the MSIX folder when that is the one present', () => {
  const root = mkdtempSync(join(tmpdir(), 'mcpform-paths-'));
  const env = { APPDATA: join(root, 'Roaming'), LOCALAPPDATA: join(root, 'Local') };
  const w = { env, platform: process.platform, home: root };
  const classic = join(root, 'Roaming', 'Claude', 'claude_desktop_config.json');
  assert.equal(claudeDesktopPath({ name: 'claude-desktop' }, w), classic);
  const msix = join(root, 'Local', 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude');
  mkdirSync(msix, { recursive: true });
  writeFileSync(join(msix, 'claude_desktop_config.json'), '{}');
  assert.equal(claudeDesktopPath({ name: 'claude-desktop' }, w), join(msix, 'claude_desktop_config.json'));
  assert.ok(world.home, 'USERPROFILE is set under Windows');
});

test('a package server renders as cmd /c npx for Claude Desktop, bare npx for VS Code', () => {
  const server: DesiredServer = {
    name: 'mem',
    kind: 'package',
    package: { name: '@modelcontextprotocol/server-memory', range: '2026.8.31' },
    args: [],
    env: {},
    headers: {},
    test: { timeoutMs: 30_000, expectTools: [], skip: false },
    sensitive: new Set(),
    secrets: [],
    origin: { file: 'mcp.yaml', line: 1, col: 1 },
  };
  const cd = adapterFor('claude-desktop').render(server, new Map(), undefined, process.platform).entry;
  assert.deepEqual(cd, { command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory@2026.8.31'] });
  const vs = adapterFor('vscode').render(server, new Map(), undefined, process.platform).entry;
  assert.equal(vs.command, 'npx');
});

// A batch file stands in for npx.cmd: how each launch model starts it on Windows Node.
function batchDir(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpform-launch-'));
  writeFileSync(join(dir, 'say.cmd'), '@echo off\r\necho said %*\r\n');
  const env = { ...(process.env as Record<string, string>), PATH: `${dir};${process.env.PATH ?? ''}` };
  return { dir, env };
}

async function run(launch: StdioLaunch): Promise<{ error?: string; code?: number | null; out: string }> {
  const server = new SpawnedServer(launch);
  let out = '';
  server.onStdout((chunk) => (out += chunk.toString('utf8')));
  await server.spawned;
  if (server.spawnError) return { error: (server.spawnError as NodeJS.ErrnoException).code, out };
  await new Promise<void>((resolve) => server.onExit(resolve));
  return { code: server.exit?.code, out };
}

test('plain launch (Claude Desktop): a bare batch name is ENOENT, the check says why and what to write', async () => {
  const { env } = batchDir();
  const launch = { command: 'say', args: ['hi'], env, windowsStart: 'plain' as const };
  assert.equal((await run(launch)).error, 'ENOENT');
  const check = checkConfiguration(launch);
  assert.equal(check.verdict, 'fail');
  assert.match(check.detail, /say\.cmd, a batch file/i);
  assert.match(check.detail, /"command": "cmd", "args": \["\/c","say","hi"\]/);
  // Named in full, Node refuses it (CVE-2024-27980), at once: the check stops it before a spawn.
  assert.throws(() => spawn('say.cmd', [], { env }), { code: 'EINVAL' });
  assert.match(checkConfiguration({ ...launch, command: 'say.cmd' }).detail, /spawn say\.cmd EINVAL/);
  // Through cmd /c, as mcpform writes it for such a client, it starts; cmd expands %VAR% in it.
  const wrapped = {
    ...launch,
    command: 'cmd',
    args: ['/c', 'say', 'hi', '%MCPFORM_PCT%'],
    env: { ...env, MCPFORM_PCT: 'expanded' },
  };
  assert.equal(checkConfiguration(wrapped).verdict, 'pass');
  const r = await run(wrapped);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), 'said hi expanded');
});

test('resolving launch (cross-spawn, as Gemini CLI and the MCP SDK): the bare name runs, its arguments escaped', async () => {
  const { env } = batchDir();
  // Not asserted here: %VAR% in an argument. cross-spawn writes it as ^%VAR^%, which real cmd
  // leaves as text on a command line (the percent pass runs before the caret pass); Wine's cmd
  // expands it (and drops a lone %), a Wine quirk.
  const launch = { command: 'say', args: ['a b', 'x&y', '(z)'], env, windowsStart: 'resolving' as const };
  assert.equal(checkConfiguration(launch).verdict, 'pass');
  const r = await run(launch);
  assert.equal(r.error, undefined);
  assert.equal(r.code, 0, r.out);
  // cmd's own metacharacters reach the batch file as text: `&` runs nothing.
  assert.equal(r.out.trim(), 'said "a b" "x&y" "(z)"');
});

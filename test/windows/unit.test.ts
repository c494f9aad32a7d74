// Runs on Windows Node (node:test; vitest cannot start under Wine): npm run test:windows.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { whichCommand } from '../../src/probe/environment.js';
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

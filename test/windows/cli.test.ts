// The built mcpform on Windows Node, end to end (npm run test:windows): a package server
// applied to Claude Desktop's %APPDATA% file and to Gemini CLI's, health-checked through the
// form each starts it in (Claude Desktop: cmd /c npx ..., no shell; Gemini CLI: bare npx,
// resolved to npx.cmd by cross-spawn), then tested, diagnosed and rolled back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = process.env.MCPFORM_WIN_CLI!;
const PROJECT = process.env.MCPFORM_WIN_PROJECT!; // mcp.yaml + mcp.lock, locked on the host
const NPM_CACHE = process.env.MCPFORM_WIN_NPM_CACHE!; // the server package, for npx offline
const PIN_CACHE = process.env.MCPFORM_WIN_PIN_CACHE!; // the registry's answers for mcpform's pin check

const root = mkdtempSync(join(tmpdir(), 'mcpform-win-'));
const home = join(root, 'home');
const project = join(root, 'project');
const appData = join(home, 'AppData', 'Roaming');
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  USERPROFILE: home,
  APPDATA: appData,
  LOCALAPPDATA: join(home, 'AppData', 'Local'),
  NO_COLOR: '1',
  // Wine quirk (no registry inside Wine): mcpform's pin check reads its own offline cache; the
  // servers Claude Desktop starts get only its variables, so npx there reads .npmrc's cache.
  npm_config_cache: PIN_CACHE,
};
for (const k of Object.keys(env)) if (k.startsWith('MCPFORM_') || k === 'NODE_PATH') delete env[k];
const claudeFile = join(appData, 'Claude', 'claude_desktop_config.json');
// A hand-kept Windows file: CRLF, another top-level key, an entry mcpform does not own.
const SEED =
  '{\r\n  "globalShortcut": "Ctrl+Space",\r\n  "mcpServers": {\r\n    "mine": { "command": "cmd", "args": ["/c", "echo"] }\r\n  }\r\n}\r\n';

function mcpform(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: project,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

test('set-up: a home whose npm config reads the offline cache (the registry is out of reach under Wine)', () => {
  mkdirSync(join(home, 'AppData', 'Local'), { recursive: true });
  // The user's own npm config, read by npx wherever the client starts it.
  writeFileSync(join(home, '.npmrc'), `cache=${NPM_CACHE}\r\noffline=true\r\n`);
  cpSync(PROJECT, project, { recursive: true });
  mkdirSync(join(appData, 'Claude'), { recursive: true });
  writeFileSync(claudeFile, SEED);
});

test('validate and plan', () => {
  const v = mcpform('validate');
  assert.equal(v.code, 0, v.all);
  const p = mcpform('plan', '--detailed-exitcode');
  assert.equal(p.code, 2, p.all);
  assert.match(p.out, /claude_desktop_config\.json/);
  assert.match(p.out, /\+ memory/);
});

test('apply: written as cmd /c npx, CRLF kept, health check passed through that form', () => {
  const a = mcpform('apply', '--yes');
  assert.equal(a.code, 0, a.all);
  const text = readFileSync(claudeFile, 'utf8');
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, 'every line ends in CRLF');
  const doc = JSON.parse(text);
  assert.deepEqual(doc.mcpServers.memory, {
    command: 'cmd',
    args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory@2026.8.31'],
  });
  assert.deepEqual(doc.mcpServers.mine, { command: 'cmd', args: ['/c', 'echo'] });
  assert.equal(doc.globalShortcut, 'Ctrl+Space');
  // Gemini CLI resolves npx.cmd itself: bare npx, which only a resolving start can run.
  const gemini = JSON.parse(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8'));
  assert.deepEqual(gemini.mcpServers.memory, {
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-memory@2026.8.31'],
  });
  assert.equal(mcpform('plan').out.includes('No changes.'), true);
});

test('test and doctor start the bare npx entry as Gemini CLI does (cross-spawn)', () => {
  const t = mcpform('test', '--live', '--target', 'gemini-cli');
  assert.equal(t.code, 0, t.all);
  assert.match(t.all, /memory/);
  const d = mcpform('doctor', '--target', 'gemini-cli', 'memory');
  assert.equal(d.code, 0, d.all);
  assert.doesNotMatch(d.all, /windows-npx/);
});

test('test and doctor start the server as Claude Desktop does', () => {
  const t = mcpform('test');
  assert.equal(t.code, 0, t.all);
  assert.match(t.all, /memory/);
  // `mine` (cmd /c echo) is the user's own entry, and not a server: doctor rightly fails it.
  const d = mcpform('doctor', 'memory');
  assert.equal(d.code, 0, d.all);
  assert.doesNotMatch(d.all, /windows-npx/);
});

test('rollback restores the seed byte for byte', () => {
  // The newest backup is the second client's (the apply wrote Claude Desktop first): pick Claude Desktop's.
  const listed = JSON.parse(mcpform('backups', '--json').out) as { backups: { id: string; path: string }[] };
  const backup = listed.backups.find((b) => b.path === claudeFile);
  assert.ok(backup, JSON.stringify(listed));
  const r = mcpform('rollback', backup.id, '--yes');
  assert.equal(r.code, 0, r.all);
  assert.equal(readFileSync(claudeFile, 'utf8'), SEED);
});

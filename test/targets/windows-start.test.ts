import { describe, expect, it } from 'vitest';
import { importEntries } from '../../src/adopt/import.js';
import { loadDesired } from '../../src/config/load.js';
import type { DesiredServer } from '../../src/config/types.js';
import { buildPlans } from '../../src/plan/build.js';
import { adapterFor, clientCatalog } from '../../src/targets/index.js';
import { forPlatform } from '../../src/targets/windows-start.js';
import { specFromDesired } from '../../src/probe/specs.js';
import { sandbox, testWorld } from '../helpers.js';

const base = {
  args: [],
  env: {},
  headers: {},
  test: { timeoutMs: 30_000, expectTools: [], skip: false },
  sensitive: new Set<string>(),
  secrets: [],
  origin: { file: 'mcp.yaml', line: 1, col: 1 },
};
const pkg: DesiredServer = {
  ...base,
  name: 'mem',
  kind: 'package',
  package: { name: '@modelcontextprotocol/server-memory', range: '^2026.8.0' },
  args: ['--flag', 'SECRET'],
  sensitive: new Set(['/args/1']),
};
const PINS = new Map([['mem', '2026.8.31']]);
const PKG_ARGS = ['-y', '@modelcontextprotocol/server-memory@2026.8.31', '--flag', 'SECRET'];

/** command + args as the client will start it, in the common vocabulary. */
function started(client: string, server: DesiredServer, platform: NodeJS.Platform) {
  const a = adapterFor(client);
  const r = a.render(server, PINS, undefined, platform);
  const { command, args } = a.toCanonical(r.entry) as { command: string; args: string[] };
  return { argv: [command, ...args], sensitive: [...r.sensitive] };
}

describe('package servers on Windows, in the form each client starts', () => {
  const CMD = ['cmd', '/c', 'npx', ...PKG_ARGS];
  const BARE = ['npx', ...PKG_ARGS];
  it.each([
    // plain: spawned without a shell or PATHEXT (CLIENTS.md), or not verified: the safe form.
    ['claude-desktop', CMD],
    ['claude-code', CMD],
    ['amazon-q', CMD],
    ['cursor', CMD],
    ['windsurf', CMD],
    ['kiro', CMD],
    ['lm-studio', CMD],
    // resolving: the client finds npx.cmd itself.
    ['vscode', BARE],
    ['zed', BARE],
    ['gemini-cli', BARE],
    ['codex', BARE],
    ['goose', BARE],
    ['opencode', BARE],
    ['cline', BARE],
    ['roo-code', BARE],
    ['continue', BARE],
  ])('%s: %j', (client, argv) => {
    const got = started(client, pkg, 'win32');
    expect(got.argv).toEqual(argv);
    // The secret argument is still the one marked sensitive, wherever it moved.
    const at = argv.indexOf('SECRET') - 1;
    expect(got.sensitive.some((p) => p.endsWith(`/${at}`) || p.endsWith(`/${at + 1}`))).toBe(true);
  });

  it.each(['linux', 'darwin'] as const)('%s: bare npx for every client', (platform) => {
    for (const client of ['claude-desktop', 'claude-code', 'vscode']) {
      expect(started(client, pkg, platform).argv).toEqual(['npx', ...PKG_ARGS]);
    }
  });

  it('Claude Desktop entry on Windows, exactly', () => {
    const r = adapterFor('claude-desktop').render(pkg, PINS, undefined, 'win32');
    expect(r.entry).toEqual({ command: 'cmd', args: ['/c', 'npx', ...PKG_ARGS] });
    expect([...r.sensitive]).toEqual(['/args/5']);
  });

  it('Claude Code keeps `type` first and wraps npx/uvx/pnpm commands; paths and .exe names stay as written', () => {
    const cc = adapterFor('claude-code');
    const cmd = (command: string, args: string[] = []) =>
      cc.render({ ...base, name: 'x', kind: 'command', command, args }, PINS, undefined, 'win32').entry;
    expect(Object.keys(cmd('uvx', ['mcp-server-git']))).toEqual(['type', 'command', 'args']);
    expect(cmd('uvx', ['mcp-server-git'])).toEqual({
      type: 'stdio',
      command: 'cmd',
      args: ['/c', 'uvx', 'mcp-server-git'],
    });
    expect(cmd('pnpm', ['dlx', 'x']).args).toEqual(['/c', 'pnpm', 'dlx', 'x']);
    expect(cmd('node.exe', ['s.js'])).toMatchObject({ command: 'node.exe', args: ['s.js'] });
    expect(cmd('C:\\nodejs\\npx.cmd', ['-y', 'p'])).toMatchObject({ command: 'C:\\nodejs\\npx.cmd' });
    expect(cmd('python', ['-m', 'srv'])).toMatchObject({ command: 'python' });
  });

  it('mcp-remote bridges for url servers get the same form (Claude Desktop)', () => {
    const url: DesiredServer = { ...base, name: 'docs', kind: 'url', url: 'https://x.example/mcp' };
    expect(started('claude-desktop', url, 'win32').argv).toEqual([
      'cmd',
      '/c',
      'npx',
      '-y',
      'mcp-remote',
      'https://x.example/mcp',
    ]);
  });

  it('a secret command moves into args', () => {
    const r = forPlatform(
      { entry: { command: 'npx', args: ['a'] }, sensitive: new Set(['/command', '/args/0', '/env/T']) },
      'plain',
      'win32',
    );
    expect(r.entry).toEqual({ command: 'cmd', args: ['/c', 'npx', 'a'] });
    expect([...r.sensitive].sort()).toEqual(['/args/1', '/args/2', '/env/T']);
  });
});

describe('init --import of a `cmd /c npx` entry on Windows is a no-op', () => {
  it('imports as written, and the plan on a win32 World says "No changes."', () => {
    const sb = sandbox();
    const file = sb.write(
      'claude_desktop_config.json',
      '{\r\n  "mcpServers": {\r\n    "mem": { "command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"] }\r\n  }\r\n}\r\n',
    );
    const world = { ...sb.world, platform: 'win32' as const };
    const adapter = adapterFor('claude-desktop');
    const result = importEntries(adapter.read(file).entries, {}, { adapter, baseDir: sb.path(''), platform: 'win32' });
    expect(result.notes).toEqual([]);
    sb.write('mcp.yaml', result.yaml);
    // The file by its variable: a win32 World would read a POSIX `path:` in mcp.yaml by Windows rules.
    sb.env.MCPFORM_CLAUDE_DESKTOP_CONFIG = file;
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world });
    const plan = buildPlans(state, world)[0]!.plan;
    expect(plan!.changes).toEqual([]);
    expect(plan!.adoptions).toEqual(['mem']);
  });

  it('a bare npx in Claude Desktop on Windows (it cannot start) is planned as cmd /c npx', () => {
    const sb = sandbox();
    const file = sb.write('c.json', JSON.stringify({ mcpServers: {} }));
    sb.write('mcp.yaml', `version: 1\nservers:\n  mem:\n    command: npx\n    args: ["-y", "pkg"]\n`);
    sb.env.MCPFORM_CLAUDE_DESKTOP_CONFIG = file;
    const world = { ...sb.world, platform: 'win32' as const };
    const state = loadDesired(sb.path('mcp.yaml'), { clients: clientCatalog, world });
    const plan = buildPlans(state, world)[0]!.plan;
    expect(plan!.changes.map((c) => [c.action, c.after])).toEqual([
      ['create', { command: 'cmd', args: ['/c', 'npx', '-y', 'pkg'] }],
    ]);
  });
});

describe('the health check starts a server as its client does on Windows', () => {
  it.each([
    ['claude-desktop', 'plain', 'cmd'],
    ['cursor', 'plain', 'cmd'],
    ['gemini-cli', 'resolving', 'npx'],
    ['vscode', 'resolving', 'npx'],
  ] as const)('%s: a %s start of %s', (client, start, command) => {
    const world = testWorld({ env: { Path: 'C:\\nodejs', USERPROFILE: 'C:\\Users\\me' }, platform: 'win32' });
    const spec = specFromDesired(pkg, adapterFor(client), PINS, world);
    expect(spec.launch).toMatchObject({ kind: 'stdio', command, windowsStart: start });
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryDirectory, serverDirectory } from '../../src/probe/client-dir.js';
import { specFromEntry } from '../../src/probe/specs.js';
import { allAdapters } from '../../src/targets/index.js';
import { runCli, sandbox, testWorld, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const world = testWorld({ env: { PATH: '/usr/bin' }, home: '/home/me', cwd: '/work/elsewhere' });

describe('the folder a client starts servers in', () => {
  it.each([
    ['project', '/work/app', '/work/app'],
    ['home', '/work/app', '/home/me'],
    ['root', '/work/app', '/'],
    ['unknown', '/work/app', '/home/me'],
    ['project', undefined, '/work/elsewhere'],
  ] as const)('%s (project %s): %s', (kind, project, dir) => {
    expect(serverDirectory('c', kind, world, project).dir).toBe(dir);
  });

  it('root on Windows is the home drive; a relative entry cwd is resolved against the client folder', () => {
    const win = testWorld({ platform: 'win32', home: 'D:\\Users\\me', cwd: 'C:\\app' });
    expect(serverDirectory('c', 'root', win).dir).toBe('D:\\');
    const base = serverDirectory('c', 'project', world, '/work/app');
    expect(entryDirectory('sub', base, 'linux')).toBe('/work/app/sub');
    expect(entryDirectory('/abs', base, 'linux')).toBe('/abs');
    expect(entryDirectory(undefined, base, 'linux')).toBe('/work/app');
  });

  it("a spec starts the server in its client's folder, and says so when the entry has no cwd", () => {
    const adapter = { name: 'claude-desktop', launch: 'gui', serverCwd: 'root' } as const;
    const spec = specFromEntry('x', { command: 'node', args: ['s.mjs'] }, {}, { adapter, world, projectDir: '/p' });
    expect(spec.launch).toMatchObject({ kind: 'stdio', cwd: '/' });
    expect(spec.launchDir).toContain('filesystem root');
    const withCwd = specFromEntry('x', { command: 'node', cwd: 'srv' }, {}, { adapter, world });
    expect(withCwd.launch).toMatchObject({ cwd: '/srv' });
    expect(withCwd.launchDir).toBeUndefined();
    // Without a client (probe unit tests): the process's own cwd, as before.
    expect(specFromEntry('x', { command: 'node' }, {}, { world }).launch).toMatchObject({ cwd: undefined });
  });

  it('every client states its folder', () => {
    for (const c of allAdapters()) expect(['project', 'home', 'root', 'unknown']).toContain(c.serverCwd);
  });
});

/** A project whose server is `node server.mjs`: a path relative to the project folder. */
function relativeProject(targets: string): Sandbox {
  const sb = sandbox({
    'mcp.yaml': `version: 1\ntargets: ${targets}\nservers:\n  rel:\n    command: node\n    args: [server.mjs]\n`,
    'server.mjs': `await import(${JSON.stringify(fixture('tiny-server.mjs'))});\n`,
  });
  return sb;
}
const cli = (sb: Sandbox, args: string[]) => runCli(args, { cwd: sb.path(''), env: sb.env });

describe('a relative server.mjs, checked as the client starts it', () => {
  it('passes for a client that starts servers in the project (claude-code)', async () => {
    const sb = relativeProject('{ claude-code: { scope: project } }');
    // Run from a subfolder: the server still starts in the project (mcp.yaml's folder), not here.
    mkdirSync(sb.path('sub'));
    const t = await runCli(['test', '--json'], { cwd: sb.path('sub'), env: sb.env });
    expect(t.code, t.stderr + t.stdout).toBe(0);
    const a = await cli(sb, ['apply', '--yes']);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(readFileSync(sb.env.MCPFORM_CLAUDE_CODE_CONFIG!, 'utf8')).mcpServers.rel.args).toEqual([
      'server.mjs',
    ]);
    const d = await cli(sb, ['doctor', '--json', '--target', 'claude-code']);
    const findings = (JSON.parse(d.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(findings).not.toContain('relative-path');
  });

  it('is reported by test and apply (rolled back) for Claude Desktop, which starts servers in /', async () => {
    const sb = relativeProject('[claude-desktop]');
    const t = await cli(sb, ['test', '--json']);
    expect(t.code).toBe(1);
    const doc = JSON.parse(t.stdout) as { results: { checks: { name: string; verdict: string; detail: string }[] }[] };
    const config = doc.results[0]!.checks.find((c) => c.name === 'configuration')!;
    expect(config.verdict).toBe('fail');
    expect(config.detail).toContain(
      'server.mjs is a relative path and is not in the filesystem root (/), where claude-desktop starts servers',
    );
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig);
    const a = await cli(sb, ['apply', '--yes']);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('rolled back');
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
  });

  it('doctor: an error for Claude Desktop, a warning for a user-wide Claude Code file, nothing in its project file', async () => {
    const finding = async (targets: string, target: string) => {
      const sb = relativeProject(targets);
      const d = await cli(sb, ['doctor', '--json', '--target', target]);
      const report = JSON.parse(d.stdout) as {
        findings: { id: string; severity: string; cause: string; fix: string }[];
      };
      return report.findings.find((f) => f.id === 'relative-path');
    };
    const desktop = await finding('[claude-desktop]', 'claude-desktop');
    expect(desktop).toMatchObject({ severity: 'error' });
    expect(desktop!.cause).toContain('Claude Desktop starts servers in the filesystem root (/)');
    expect(desktop!.fix).toContain('absolute path');
    expect(desktop!.fix).toContain('cwd');
    expect(await finding('{ claude-code: { scope: user } }', 'claude-code')).toMatchObject({ severity: 'warning' });
    expect(await finding('{ claude-code: { scope: project } }', 'claude-code')).toBeUndefined();
  });
});

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectLaunch } from '../../src/adopt/interpreter.js';
import { sandbox, type Sandbox } from '../helpers.js';
import { runInProcess } from '../cli/run-in-process.js';

const MCP_YAML = `# Our team's servers. Keep this comment.
version: 1
defaultEnvironment: dev
servers:
  memory:
    command: npx # inline comment stays too
    args: ["-y", "@modelcontextprotocol/server-memory"]
environments:
  dev:
    servers: [memory]
`;

function exe(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}
function script(sb: Sandbox, rel: string): string {
  const p = sb.path(rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, 'print("hello")\n');
  return p;
}

describe('detectLaunch', () => {
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, ...extra });
  const linux = 'linux' as const;
  it.each([
    ['a venv beside the script', 'venv'],
    ['a .venv in the project above it', '.venv'],
  ])('%s', (_label, venv) => {
    const sb = sandbox();
    writeFileSync(sb.path('pyproject.toml'), '[project]\nname = "notes"\n');
    const py = exe(sb.path(`${venv}/bin/python`));
    const s = script(sb, venv === 'venv' ? 'venv-beside/server.py' : 'src/notes_server.py');
    if (venv === 'venv') exe(sb.path('venv-beside/venv/bin/python'));
    const d = detectLaunch(s, { env: env(), platform: linux });
    expect(d.command).toBe(venv === 'venv' ? sb.path('venv-beside/venv/bin/python') : py);
    expect(d.args).toEqual([s]);
    expect(d.cwd).toBe(sb.path(''));
  });

  it('a uv project without a .venv yet: uv run --project', () => {
    const sb = sandbox();
    writeFileSync(sb.path('pyproject.toml'), '[project]\nname = "x"\n');
    writeFileSync(sb.path('uv.lock'), 'version = 1\n');
    const s = script(sb, 'server.py');
    const d = detectLaunch(s, { env: env(), platform: linux });
    expect(d.command).toMatch(/(^|\/)uv$/);
    expect(d.args).toEqual(['run', '--project', sb.path(''), 'python', s]);
  });

  it('the active conda environment', () => {
    const sb = sandbox();
    const py = exe(join(sb.dir, 'conda', 'envs', 'mcp', 'bin', 'python'));
    const s = script(sb, 'tool.py');
    const d = detectLaunch(s, { env: env({ CONDA_PREFIX: join(sb.dir, 'conda', 'envs', 'mcp') }), platform: linux });
    expect(d.command).toBe(py);
  });

  it('a plain script: the system python3, by absolute path', () => {
    const sb = sandbox();
    const bin = exe(join(sb.dir, 'bin', 'python3'));
    const s = script(sb, 'plain.py');
    const d = detectLaunch(s, { env: { PATH: join(sb.dir, 'bin') }, platform: linux });
    expect(d).toMatchObject({ command: bin, args: [s], how: 'the system Python', name: 'plain' });
  });

  it('node for .mjs, with an absolute path', () => {
    const sb = sandbox();
    const s = sb.write('index.mjs', 'export {}\n');
    const d = detectLaunch(s, { env: env(), platform: linux });
    expect(d.command).toMatch(/^\/.*node$/);
    expect(d.args).toEqual([s]);
  });
});

describe('mcpform add', () => {
  it('add PATH edits mcp.yaml in place: comments kept, absolute paths, .env referenced not copied, added to the environment', async () => {
    const sb = sandbox({ 'mcp.yaml': MCP_YAML });
    exe(sb.path('notes-mcp/.venv/bin/python'));
    writeFileSync(sb.path('notes-mcp/pyproject.toml'), '[project]\nname="notes"\n');
    writeFileSync(sb.path('notes-mcp/.env'), 'NOTES_API_KEY=secret-notes-key\n');
    script(sb, 'notes-mcp/src/server.py');
    const r = await runInProcess(['add', 'notes-mcp/src/server.py'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(sb.path('mcp.yaml'), 'utf8');
    expect(text).toContain("# Our team's servers. Keep this comment.");
    expect(text).toContain('# inline comment stays too');
    expect(text).not.toContain('secret-notes-key');
    const doc = parse(text);
    expect(doc.servers['notes-mcp']).toEqual({
      command: sb.path('notes-mcp/.venv/bin/python'),
      args: [sb.path('notes-mcp/src/server.py')],
      cwd: sb.path('notes-mcp'),
      env: { NOTES_API_KEY: '${NOTES_API_KEY}' },
    });
    expect(doc.environments.dev.servers).toEqual(['memory', 'notes-mcp']);
    expect(readFileSync(sb.path('.env'), 'utf8')).toContain('NOTES_API_KEY=secret-notes-key');
    expect((await runInProcess(['validate'], { cwd: sb.path(''), env: sb.env })).code).toBe(0);
  });

  it('add NAME -- COMMAND ARGS and add NAME --package', async () => {
    const sb = sandbox({ 'mcp.yaml': MCP_YAML });
    expect(
      (
        await runInProcess(['add', 'github', '--', 'npx', '-y', '@modelcontextprotocol/server-github'], {
          cwd: sb.path(''),
          env: sb.env,
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await runInProcess(['add', 'fs', '--package', 'npm:@modelcontextprotocol/server-filesystem@^2026.8.0'], {
          cwd: sb.path(''),
          env: sb.env,
        })
      ).code,
    ).toBe(0);
    const doc = parse(readFileSync(sb.path('mcp.yaml'), 'utf8'));
    expect(doc.servers.github).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] });
    expect(doc.servers.fs).toEqual({ package: 'npm:@modelcontextprotocol/server-filesystem@^2026.8.0' });
    expect(doc.environments.dev.servers).toEqual(['memory', 'github', 'fs']);
  });

  it('add NAME --package SPEC -- ARGS: the arguments go to the package', async () => {
    const sb = sandbox({ 'mcp.yaml': MCP_YAML });
    const r = await runInProcess(
      ['add', 'fs', '--package', '@modelcontextprotocol/server-filesystem@^2026.8.0', '--', '/srv/data', '--readonly'],
      { cwd: sb.path(''), env: sb.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(parse(readFileSync(sb.path('mcp.yaml'), 'utf8')).servers.fs).toEqual({
      package: 'npm:@modelcontextprotocol/server-filesystem@^2026.8.0',
      args: ['/srv/data', '--readonly'],
    });
  });

  it('warns when the same command is already declared under another name', async () => {
    const sb = sandbox({ 'mcp.yaml': MCP_YAML });
    const r = await runInProcess(['add', 'mem2', '--', 'npx', '-y', '@modelcontextprotocol/server-memory'], {
      cwd: sb.path(''),
      env: sb.env,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: 'memory' already starts the same server");
    const other = await runInProcess(['add', 'other', '--', 'npx', '-y', 'another-server'], {
      cwd: sb.path(''),
      env: sb.env,
    });
    expect(other.stderr).not.toContain('Warning');
  });

  it('refuses a duplicate name and leaves the file alone', async () => {
    const sb = sandbox({ 'mcp.yaml': MCP_YAML });
    const r = await runInProcess(['add', 'memory', '--', 'node', 'x.js'], { cwd: sb.path(''), env: sb.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("server 'memory' already exists");
    expect(readFileSync(sb.path('mcp.yaml'), 'utf8')).toBe(MCP_YAML);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectProject } from '../../src/adopt/project-entry.js';
import { requirementName } from '../../src/adopt/project-deps.js';
import { FIXTURES, runCli, sandbox, type Sandbox } from '../helpers.js';

const opts = { env: { PATH: process.env.PATH }, platform: 'linux' as const };

function put(sb: Sandbox, rel: string, content = '', mode?: number): string {
  const p = sb.path(rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  if (mode) chmodSync(p, mode);
  return p;
}
/** A venv as `python -m venv` lays it out, with these distributions installed. */
function venv(sb: Sandbox, rel: string, dists: string[] = []): string {
  const py = put(sb, `${rel}/bin/python`, '#!/bin/sh\n', 0o755);
  for (const d of dists) mkdirSync(sb.path(`${rel}/lib/python3.12/site-packages/${d}.dist-info`), { recursive: true });
  return py;
}

describe('add DIR: the entry point and interpreter of a project folder', () => {
  it('a server.py with a venv one folder up, no pyproject.toml and no .git', () => {
    const sb = sandbox();
    const py = venv(sb, 'venv', ['mcp-1.9.0']);
    put(sb, 'weather/server.py', 'import mcp\n');
    put(sb, 'weather/requirements.txt', 'mcp>=1.2\n');
    const d = detectProject(sb.path('weather'), opts);
    expect(d).toMatchObject({ name: 'weather', command: py, args: [sb.path('weather/server.py')], warnings: [] });
  });

  it('dependencies declared but not installed in that venv are a warning naming them and the fix', () => {
    const sb = sandbox();
    venv(sb, 'notes/.venv', ['httpx-0.27.0']);
    put(sb, 'notes/main.py');
    put(sb, 'notes/requirements.txt', '# deps\nmcp[cli]>=1.2 ; python_version > "3.9"\nhttpx\n-r other.txt\n');
    put(sb, 'notes/pyproject.toml', '[project]\nname = "notes"\ndependencies = ["Pydantic_Settings>=2", "httpx"]\n');
    const d = detectProject(sb.path('notes'), opts);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(
      /requirements\.txt and pyproject\.toml declare mcp, pydantic-settings, not installed in .*notes\/\.venv/,
    );
    expect(d.warnings[0]).toContain('-m pip install -r requirements.txt');
  });

  it('[project.scripts] installed in the venv: its console script', () => {
    const sb = sandbox();
    put(
      sb,
      'p/pyproject.toml',
      '[project]\nname = "acme"\n[project.scripts]\nacme-cli = "acme.cli:main"\nacme-mcp = "acme.server:run"\n',
    );
    venv(sb, 'p/.venv');
    const script = put(sb, 'p/.venv/bin/acme-mcp', '#!/bin/sh\n', 0o755);
    const d = detectProject(sb.path('p'), opts);
    expect(d).toMatchObject({ name: 'acme-mcp', command: script, args: [], cwd: sb.path('p') });
    expect(d.how).toContain('also declared: acme-cli');
  });

  it('[project.scripts] not installed yet: the function is called, and the warning says to install the project', () => {
    const sb = sandbox();
    put(sb, 'p/pyproject.toml', '[project]\nname = "acme"\n[project.scripts]\nacme = "acme.server:main"\n');
    const py = venv(sb, 'p/.venv');
    const d = detectProject(sb.path('p'), opts);
    expect(d.command).toBe(py);
    expect(d.args).toEqual(['-c', 'import sys; from acme.server import main; sys.exit(main())']);
    expect(d.warnings.join()).toContain(`-m pip install -e ${sb.path('p')}`);
  });

  it('a package with __main__.py runs as python -m PACKAGE from its parent', () => {
    const sb = sandbox();
    const py = venv(sb, 'proj/.venv');
    put(sb, 'proj/src/acme_mcp/__init__.py');
    put(sb, 'proj/src/acme_mcp/__main__.py');
    const d = detectProject(sb.path('proj'), opts);
    expect(d).toMatchObject({ command: py, args: ['-m', 'acme_mcp'], cwd: sb.path('proj/src'), name: 'proj' });
  });

  it('package.json bin (object: the one named like the package) with node, and missing node_modules is a warning', () => {
    const sb = sandbox();
    put(
      sb,
      'n/package.json',
      JSON.stringify({
        name: '@me/notes',
        bin: { other: 'x.js', notes: 'dist/cli.js' },
        dependencies: { '@modelcontextprotocol/sdk': '^1' },
      }),
    );
    const bin = put(sb, 'n/dist/cli.js');
    const d = detectProject(sb.path('n'), opts);
    expect(d.command).toMatch(/node$/);
    expect(d).toMatchObject({ name: 'notes', args: [bin], cwd: sb.path('n') });
    expect(d.warnings.join()).toMatch(/declares @modelcontextprotocol\/sdk, not installed; run 'npm install'/);
  });

  it('package.json main not built yet: still added, with a warning to build', () => {
    const sb = sandbox();
    put(sb, 'n/package.json', JSON.stringify({ name: 'n', main: 'build/index.js', scripts: { build: 'tsc' } }));
    const d = detectProject(sb.path('n'), opts);
    expect(d.args).toEqual([sb.path('n/build/index.js')]);
    expect(d.warnings.join()).toContain("run 'npm run build'");
  });

  it("the project's own .venv wins over a venv one folder up", () => {
    const sb = sandbox();
    venv(sb, 'code/venv');
    const own = venv(sb, 'code/weather/.venv');
    put(sb, 'code/weather/server.py');
    expect(detectProject(sb.path('code/weather'), opts).command).toBe(own);
  });

  it('package.json bin without an extension (a node shebang script) runs with the absolute node', () => {
    const sb = sandbox();
    put(sb, 'n/package.json', JSON.stringify({ name: 'n', bin: { n: 'bin/n' } }));
    const bin = put(sb, 'n/bin/n', '#!/usr/bin/env node\n');
    const d = detectProject(sb.path('n'), opts);
    expect(d.command).toMatch(/[/\\]node(\.exe)?$/);
    expect(d.args).toEqual([bin]);
  });

  it('no venv anywhere: dependencies the system Python lacks are a warning that names it and the fix', () => {
    const sb = sandbox();
    put(sb, 'w/server.py');
    put(sb, 'w/requirements.txt', 'mcpform-test-not-a-real-dist>=1\n');
    const d = detectProject(sb.path('w'), opts);
    expect(d.how).toBe('the system Python');
    expect(d.warnings.join()).toMatch(
      /declares mcpform-test-not-a-real-dist, not installed in .*\(the system Python: no venv/,
    );
    expect(d.warnings.join()).toContain('-m venv .venv');
  });

  it('a folder with nothing to run is a clear error', () => {
    const sb = sandbox();
    put(sb, 'empty/README.md', 'hi');
    expect(() => detectProject(sb.path('empty'), opts)).toThrow(/cannot find the server's entry point/);
  });

  it.each([
    ['mcp[cli]>=1.2', 'mcp'],
    ['Pydantic_Settings==2.0', 'pydantic-settings'],
    ['zope.interface', 'zope-interface'],
    ['-e .', undefined],
    ['./local', undefined],
    ['acme @ https://example.invalid/acme.whl', 'acme'],
    ['  # only a comment', undefined],
  ])('requirement %s names %s', (line, name) => {
    expect(requirementName(line)).toBe(name);
  });
});

describe('mcpform add DIR', () => {
  it('adds the project, references its .env, git-ignores the env file, warns about missing dependencies', async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\nenvironments:\n  prod:\n    extends: default\n' });
    writeFileSync(sb.path('.gitignore'), 'node_modules');
    const py = venv(sb, 'code/venv');
    put(sb, 'code/weather/server.py');
    put(sb, 'code/weather/requirements.txt', 'mcp\n');
    put(sb, 'code/weather/.env', 'WEATHER_API_KEY=k-123\n');
    const r = await runCli(['add', 'code/weather'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("in environment 'default' (every server)");
    expect(r.stderr).toMatch(/Warning: requirements\.txt declares mcp, not installed in .*code\/venv/);
    const doc = parse(readFileSync(sb.path('mcp.yaml'), 'utf8'));
    expect(doc.servers.weather).toEqual({
      command: py,
      args: [sb.path('code/weather/server.py')],
      cwd: sb.path('code/weather'),
      env: { WEATHER_API_KEY: '${WEATHER_API_KEY}' },
    });
    expect(readFileSync(sb.path('.gitignore'), 'utf8')).toBe('node_modules\n.env\n');
    expect(r.stdout).toContain('added to .gitignore');
    // default (every server) and prod (extends: default) both have it.
    for (const e of [[], ['-e', 'prod']]) {
      const v = await runCli([...e, 'plan', '--json'], { cwd: sb.path(''), env: sb.env });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toContain('"weather"');
    }
  });

  it('add NAME -- COMMAND with no arguments writes no args', async () => {
    const sb = sandbox({
      'mcp.yaml': 'version: 1\nservers:\n  a: { command: a }\nenvironments:\n  dev:\n    servers: [a]\n',
    });
    const r = await runCli(['-e', 'dev', 'add', 'mem', '--', 'mcp-server-memory'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(sb.path('mcp.yaml'), 'utf8')).toBe(
      'version: 1\nservers:\n  a: { command: a }\n  mem:\n    command: mcp-server-memory\nenvironments:\n  dev:\n    servers: [a, mem]\n',
    );
  });
});

describe('mcpform add DIR, end to end with a real venv one folder up', () => {
  it("adds the folder with that venv's Python, and the server passes a real handshake (the system python3 cannot import its dependency)", async () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
    // A real venv (no pip: PyPI is out of reach), with one distribution installed in it by hand.
    execFileSync(python, ['-m', 'venv', '--without-pip', sb.path('code/venv')]);
    const site = execFileSync(sb.path('code/venv/bin/python'), ['-c', 'import site; print(site.getsitepackages()[0])'])
      .toString()
      .trim();
    writeFileSync(
      join(site, 'weather_sdk.py'),
      'TOOL = {"name": "forecast", "description": "Forecast.", "inputSchema": {"type": "object"}}\n',
    );
    mkdirSync(join(site, 'weather_sdk-1.0.dist-info'));
    writeFileSync(
      join(site, 'weather_sdk-1.0.dist-info', 'METADATA'),
      'Metadata-Version: 2.1\nName: weather-sdk\nVersion: 1.0\n',
    );
    const server = readFileSync(join(FIXTURES, 'dev', 'python-server.py'), 'utf8')
      .replace('import time\n', 'import time\nimport weather_sdk\n')
      .replace(/^TOOLS = \[/m, 'TOOLS = [weather_sdk.TOOL, ');
    const script = put(sb, 'code/weather/server.py', server);
    put(sb, 'code/weather/requirements.txt', 'weather-sdk>=1\n');

    const added = await runCli(['add', 'code/weather'], { cwd: sb.path(''), env: sb.env });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toContain('Warning');
    const doc = parse(readFileSync(sb.path('mcp.yaml'), 'utf8'));
    expect(doc.servers.weather.command).toBe(sb.path('code/venv/bin/python'));
    const tested = await runCli(['test', 'weather'], { cwd: sb.path(''), env: sb.env });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/weather\s+ok/);
    // What the system Python would have done: the failure this venv lookup exists to avoid.
    const system = spawnSync(python, [script], { input: '', encoding: 'utf8' });
    expect(system.stderr).toContain("No module named 'weather_sdk'");
  });
});

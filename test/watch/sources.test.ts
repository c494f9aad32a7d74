import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredServer } from '../../src/config/types.js';
import { buildOutputOf, devSourceOf, ignoredFor, isSourceFile, serversForChange } from '../../src/watch/sources.js';
import { sandbox, type Sandbox } from '../helpers.js';

function put(sb: Sandbox, rel: string, content = '', mode?: number): string {
  const p = sb.path(rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  if (mode) chmodSync(p, mode);
  return p;
}

function server(fields: Partial<DesiredServer>): DesiredServer {
  return {
    name: 's',
    kind: 'command',
    args: [],
    env: {},
    headers: {},
    test: { timeoutMs: 1000, expectTools: [], skip: false },
    sensitive: new Set(),
    secrets: [],
    origin: { file: 'mcp.yaml', line: 1, col: 1 },
    ...fields,
  };
}

/** A home with two projects and a loose script (the sandbox is cleaned after each test). */
function layout() {
  const sb = sandbox();
  put(sb, 'notes/package.json', '{}');
  put(
    sb,
    'weather/pyproject.toml',
    '[project]\nname = "weather"\n[project.scripts]\nweather-mcp = "weather.server:main"\n',
  );
  put(sb, 'weather/weather/__init__.py');
  put(sb, 'notes/config.json', '{}');
  const p = {
    notes: put(sb, 'notes/src/index.ts'),
    built: put(sb, 'notes/dist/index.js'),
    consoleScript: put(sb, 'weather/.venv/bin/weather-mcp', '#!/bin/sh\n', 0o755),
    foreign: put(sb, 'weather/.venv/bin/other-mcp', '#!/bin/sh\n', 0o755),
    installed: put(sb, 'notes/node_modules/@x/server/dist/index.js'),
    loose: put(sb, 'home/scripts/tool.py'),
    at: (rel: string) => sb.path(rel),
  };
  return { base: sb.path(''), home: sb.path('home'), p };
}
type Paths = ReturnType<typeof layout>['p'];

describe('which servers are dev servers (their code is the user’s, on disk)', () => {
  const cases: [
    string,
    (p: Paths) => Partial<DesiredServer>,
    ((p: Paths) => { root: string; scripts: string[]; recursive?: boolean }) | undefined,
  ][] = [
    [
      'node + a script in a project',
      (p) => ({ command: '/usr/bin/node', args: [p.built] }),
      (p) => ({ root: p.at('notes'), scripts: [p.built] }),
    ],
    [
      'a relative script, against cwd',
      (p) => ({ command: 'node', args: ['dist/index.js'], cwd: p.at('notes') }),
      (p) => ({ root: p.at('notes'), scripts: [p.built] }),
    ],
    [
      'npx tsx ./script.ts',
      (p) => ({ command: 'npx', args: ['-y', 'tsx', p.notes] }),
      (p) => ({ root: p.at('notes'), scripts: [p.notes] }),
    ],
    ['npx with a package', () => ({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] }), undefined],
    [
      'npx with a package and a local data file',
      (p) => ({ command: 'npx', args: ['-y', '@x/server', '--config', p.at('notes/config.json')] }),
      undefined,
    ],
    ['a script inside node_modules (installed)', (p) => ({ command: 'node', args: [p.installed] }), undefined],
    [
      'a package server',
      () => ({ kind: 'package', command: undefined, package: { name: 'x', range: '^1' } }),
      undefined,
    ],
    ['a url server', () => ({ kind: 'url', command: undefined, url: 'https://example.invalid/mcp' }), undefined],
    ['a command on PATH', () => ({ command: 'mcp-server-fetch' }), undefined],
    ['a system program by its path', () => ({ command: '/bin/sh', args: ['-c', 'exec mcp-server'] }), undefined],
    [
      'python -m a local package',
      (p) => ({ command: '/venv/bin/python', args: ['-m', 'weather'], cwd: p.at('weather') }),
      (p) => ({ root: p.at('weather'), scripts: [p.at('weather/weather/__init__.py')] }),
    ],
    [
      'python -m an installed module',
      (p) => ({ command: 'python3', args: ['-m', 'mcp_server_time'], cwd: p.at('weather') }),
      undefined,
    ],
    [
      "add DIR's not-installed [project.scripts] call",
      (p) => ({
        command: 'python3',
        args: ['-c', 'import sys; from weather.server import main; sys.exit(main())'],
        cwd: p.at('weather'),
      }),
      (p) => ({ root: p.at('weather'), scripts: [p.at('weather/weather/__init__.py')] }),
    ],
    [
      "the project's own console script in its venv",
      (p) => ({ command: p.consoleScript }),
      (p) => ({ root: p.at('weather'), scripts: [p.consoleScript] }),
    ],
    [
      'a console script the project does not declare (installed from an index)',
      (p) => ({ command: p.foreign }),
      undefined,
    ],
    [
      'a script outside any project, in home: its folder only',
      (p) => ({ command: 'python3', args: [p.loose] }),
      (p) => ({ root: p.at('home/scripts'), scripts: [p.loose], recursive: false }),
    ],
  ];
  it.each(cases)('%s', (_name, fields, want) => {
    const { base, home, p } = layout();
    const d = devSourceOf(server(fields(p)), base, home);
    if (!want) expect(d).toBeUndefined();
    else expect(d).toEqual({ server: 's', recursive: true, ...want(p) });
  });
});

describe('which changes count', () => {
  const root = '/p';
  const src = { server: 'a', root, scripts: ['/p/dist/index.js'], recursive: true };
  it.each([
    ['/p/dist/tool.js', true],
    ['/p/dist/index.js', true],
    ['/p/package.json', true],
    ['/p/pyproject.toml', true],
    ['/p/requirements-dev.txt', true],
    ['/p/node_modules/x/index.js', false],
    ['/p/.venv/lib/python3.12/site-packages/x.py', false],
    ['/p/.git/index', false],
    ['/p/pkg/__pycache__/m.cpython-312.pyc', false],
    ['/p/memory.json', false], // the server's own data
    ['/p/mcp.lock', false], // watch writes it: no loop
    ['/p/notes.db', false],
    ['/elsewhere/x.ts', false],
    ['/p/dist/.#tool.js', false], // Emacs lock file
    ['/p/dist/tool.js~', false],
    ['/p/dist/.tool.js.swp', false],
  ])('%s: %s', (path, counts) => {
    expect(isSourceFile(path, src)).toBe(counts);
  });

  it('build output is not watched unless the entry runs from it; then only it (and the manifests) count', () => {
    const fromSrc = { server: 'b', root, scripts: ['/p/src/server.py'], recursive: true };
    expect(isSourceFile('/p/build/lib/x.py', fromSrc)).toBe(false);
    expect(isSourceFile('/p/src/util.py', fromSrc)).toBe(true);
    expect(isSourceFile('/p/dist/tools.js', src)).toBe(true);
    expect(isSourceFile('/p/src/tools.ts', src)).toBe(false); // the build has not run yet
    expect(isSourceFile('/p/package.json', src)).toBe(true);
    expect(buildOutputOf(src)).toBe('/p/dist');
    expect(buildOutputOf(fromSrc)).toBeUndefined();
  });

  it('a folder outside a project: its own files, not its subfolders', () => {
    const flat = { server: 'c', root: '/home/me/scripts', scripts: ['/home/me/scripts/t.py'], recursive: false };
    expect(isSourceFile('/home/me/scripts/helpers.py', flat)).toBe(true);
    expect(isSourceFile('/home/me/scripts/old/x.py', flat)).toBe(false);
    const ignored = ignoredFor([flat]);
    expect(ignored('/home/me/scripts')).toBe(false);
    expect(ignored('/home/me/scripts/old')).toBe(false); // not known to be a folder yet
    expect(ignored('/home/me/scripts/old', { isDirectory: () => true })).toBe(true);
    expect(ignored('/home/me/scripts/helpers.py', { isDirectory: () => false })).toBe(false);
    expect(ignored('/home/me/scripts/old/deep')).toBe(true);
  });

  it('chokidar does not even enter node_modules or .venv', () => {
    const ignored = ignoredFor([src]);
    expect(ignored('/p/node_modules')).toBe(true);
    expect(ignored('/p/.venv')).toBe(true);
    expect(ignored('/p/src')).toBe(false);
    expect(ignored(join('/p', 'dist'))).toBe(false);
  });

  it('a change goes to the servers of the deepest project holding it', () => {
    const outer = { server: 'outer', root: '/code', scripts: ['/code/server.py'], recursive: true };
    const inner = { server: 'inner', root: '/code/weather', scripts: ['/code/weather/server.py'], recursive: true };
    expect(serversForChange('/code/weather/api.py', [outer, inner])).toEqual(['inner']);
    expect(serversForChange('/code/util.py', [outer, inner])).toEqual(['outer']);
    expect(serversForChange('/code/weather/README.md', [outer, inner])).toEqual([]);
  });
});

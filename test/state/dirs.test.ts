import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { McpformError } from '../../src/errors.js';
import { cacheDir, stateDir } from '../../src/state/dirs.js';
import { runCli, sandbox, writeJson } from '../helpers.js';

const world = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux') => ({ env, platform, home: '/home/me' });

describe('state and cache dirs from the environment', () => {
  it.each([
    ['XDG_CACHE_HOME absolute', cacheDir, { XDG_CACHE_HOME: '/var/c' }, '/var/c/mcpform'],
    // The XDG Base Directory spec: relative paths are invalid and ignored.
    ['XDG_CACHE_HOME relative', cacheDir, { XDG_CACHE_HOME: 'planted' }, '/home/me/.cache/mcpform'],
    ['XDG_CACHE_HOME ./relative', cacheDir, { XDG_CACHE_HOME: './planted' }, '/home/me/.cache/mcpform'],
    ['XDG_STATE_HOME relative', stateDir, { XDG_STATE_HOME: 'planted' }, '/home/me/.local/state/mcpform'],
    ['MCPFORM_CACHE_DIR absolute', cacheDir, { MCPFORM_CACHE_DIR: '/c' }, '/c'],
    ['MCPFORM_STATE_DIR absolute', stateDir, { MCPFORM_STATE_DIR: '/s' }, '/s'],
  ] as const)('%s', (_, dir, env, want) => {
    expect(dir(world(env))).toBe(want);
  });

  it.each([
    ['MCPFORM_CACHE_DIR', cacheDir, 'linux', 'cache'],
    ['MCPFORM_CACHE_DIR', cacheDir, 'linux', './cache'],
    ['MCPFORM_STATE_DIR', stateDir, 'linux', 'state'],
    ['MCPFORM_STATE_DIR', stateDir, 'darwin', '../state'],
    ['MCPFORM_CACHE_DIR', cacheDir, 'win32', 'cache\\here'],
    ['MCPFORM_CACHE_DIR', cacheDir, 'win32', 'C:cache'],
  ] as const)('a relative %s is an error that says what to do (%#)', (name, dir, platform, value) => {
    let err: unknown;
    try {
      dir(world({ [name]: value }, platform));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpformError);
    expect((err as McpformError).code).toBe('USAGE');
    expect((err as McpformError).message).toBe(`${name} is '${value}', a relative path; it must be absolute`);
    expect((err as McpformError).hint).toContain(`set ${name} to an absolute path`);
  });

  it('an absolute Windows path is accepted on Windows', () => {
    expect(cacheDir(world({ MCPFORM_CACHE_DIR: 'C:\\cache' }, 'win32'))).toBe('C:\\cache');
  });
});

describe('the binary with hostile dir settings', () => {
  const project = () => {
    const sb = sandbox({ 'mcp.yaml': 'version: 1\nservers:\n  m: { command: node, args: [x.js] }\n' });
    return { sb, cli: (args: string[], env: NodeJS.ProcessEnv) => runCli(args, { cwd: sb.path(''), env }) };
  };

  it('a relative XDG_CACHE_HOME plants nothing in the project: the default cache is used', async () => {
    const { sb, cli } = project();
    const r = await cli(['validate'], { ...sb.env, XDG_CACHE_HOME: 'planted' });
    expect(r.code).toBe(0);
    expect(existsSync(sb.path('planted'))).toBe(false);
  });

  it('a relative MCPFORM_CACHE_DIR: no cache in the project; refused with the reason where the cache is needed', async () => {
    const { sb, cli } = project();
    const plain = await cli(['validate'], { ...sb.env, MCPFORM_CACHE_DIR: 'planted' });
    expect(plain.code).toBe(0);
    expect(existsSync(sb.path('planted'))).toBe(false);
    // A git import is read through the cache.
    sb.write('mcp.yaml', 'version: 1\nimports:\n  - { git: "file:///nowhere/team", ref: main, path: base.mcp.yaml }\n');
    const r = await cli(['plan'], { ...sb.env, MCPFORM_CACHE_DIR: 'planted' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MCPFORM_CACHE_DIR is 'planted', a relative path; it must be absolute");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(sb.path('planted'))).toBe(false);
  });

  it('a relative MCPFORM_STATE_DIR is refused before anything is written', async () => {
    const { sb, cli } = project();
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig, 'utf8');
    const r = await cli(['apply', '--yes', '--no-test'], { ...sb.env, MCPFORM_STATE_DIR: 'state' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MCPFORM_STATE_DIR is 'state', a relative path; it must be absolute");
    expect(existsSync(sb.path('state'))).toBe(false);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(before);
  });

  // Node's recursive mkdir spins forever there; each command must end, with or without its cache.
  it.runIf(existsSync('/proc/self'))('a cache or state dir under /proc/self ends, it does not hang', async () => {
    const { sb, cli } = project();
    const cached = await cli(['validate'], { ...sb.env, MCPFORM_CACHE_DIR: '/proc/self/x/y' });
    expect(cached.signal).toBeNull();
    expect(cached.code).toBe(0);
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig, 'utf8');
    const state = await cli(['apply', '--yes', '--no-test'], { ...sb.env, MCPFORM_STATE_DIR: '/proc/self/x/y' });
    expect(state.signal).toBeNull();
    expect(state.code).toBe(1);
    expect(state.stderr).toContain('cannot create the locks folder /proc/self/x/y/locks: ENOENT');
    expect(state.stderr).not.toContain('Internal error');
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(before);
  });
});

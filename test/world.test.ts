import { afterEach, describe, expect, it, vi } from 'vitest';
import { readWorld } from '../src/cli/world.js';
import { McpformError } from '../src/errors.js';
import { stateDir } from '../src/state/dirs.js';
import { adapterFor } from '../src/targets/index.js';
import { homeFromEnv, pathsOf, requireHome } from '../src/world.js';
import { testWorld } from './helpers.js';

const account = vi.hoisted(() => ({ homedir: (): string => '/from/passwd' }));
vi.mock('node:os', async (original) => ({
  ...(await original<typeof import('node:os')>()),
  homedir: () => account.homedir(),
}));

afterEach(() => {
  vi.unstubAllEnvs();
  account.homedir = () => '/from/passwd';
});

describe('the home, computed one way', () => {
  it.each([
    ['linux', { HOME: '/h', USERPROFILE: 'C:\\U' }, '/h'],
    ['darwin', { USERPROFILE: '/u' }, '/u'],
    ['win32', { HOME: '/c/Users/me', USERPROFILE: 'C:\\Users\\me' }, 'C:\\Users\\me'],
    ['win32', { HOME: '/c/Users/me' }, '/c/Users/me'],
    ['linux', { HOME: '' }, undefined],
  ] as const)('%s %j -> %s', (platform, env, home) => expect(homeFromEnv(env, platform)).toBe(home));

  it("readWorld: the env's home, else the account's, else none (no passwd entry: no crash)", () => {
    vi.stubEnv('HOME', '/from/env');
    vi.stubEnv('USERPROFILE', undefined);
    expect(readWorld().home).toBe('/from/env');
    vi.stubEnv('HOME', undefined);
    expect(readWorld().home).toBe('/from/passwd');
    account.homedir = () => {
      throw Object.assign(new Error('uv_os_homedir returned ENOENT'), { code: 'ERR_SYSTEM_ERROR' });
    };
    const world = readWorld();
    expect(world.home).toBeUndefined();
    expect(world.env).toBe(process.env);
    expect(world.cwd).toBe(process.cwd());
    expect(world.now()).toBeInstanceOf(Date);
  });

  it('requireHome: the home, or NO_HOME saying to set HOME', () => {
    expect(requireHome({ home: '/h' })).toBe('/h');
    const err = (() => {
      try {
        requireHome({ home: undefined });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(McpformError);
    expect(err).toMatchObject({ code: 'NO_HOME', message: 'no home directory: set HOME', exitCode: 1 });
  });
});

describe('paths follow the World, not the host', () => {
  it('pathsOf: win32 rules for a Windows World', () => {
    expect(pathsOf({ platform: 'win32' }).join('C:\\Users\\me', 'x')).toBe('C:\\Users\\me\\x');
    expect(pathsOf({ platform: 'darwin' }).join('/h', 'x')).toBe('/h/x');
  });

  it.each([
    ['linux', { HOME: '/h' }, '/h/.local/state/mcpform'],
    ['darwin', { HOME: '/h' }, '/h/Library/Application Support/mcpform'],
    ['win32', { USERPROFILE: 'C:\\Users\\me' }, 'C:\\Users\\me\\AppData\\Local\\mcpform'],
    ['win32', { LOCALAPPDATA: 'D:\\Local' }, 'D:\\Local\\mcpform'],
  ] as const)('state dir on %s %j: %s', (platform, env, dir) => {
    expect(stateDir(testWorld({ env, platform }))).toBe(dir);
  });

  it('a client file named by the variables needs no home; one under the home says NO_HOME', () => {
    const spec = { name: 'claude-desktop' };
    const win = testWorld({
      env: { APPDATA: 'C:\\AppData', LOCALAPPDATA: 'C:\\Local' },
      platform: 'win32',
      home: undefined,
    });
    expect(adapterFor('claude-desktop').resolvePath(spec, win)).toBe('C:\\AppData\\Claude\\claude_desktop_config.json');
    const linux = testWorld({ env: {}, home: undefined });
    expect(() => adapterFor('claude-desktop').resolvePath(spec, linux)).toThrow('no home directory: set HOME');
    expect(() => stateDir(linux)).toThrow(expect.objectContaining({ code: 'NO_HOME' }));
  });
});

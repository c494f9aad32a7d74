import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../src/cli/compile-cache.js';
import { runCli, sandbox, testWorld } from '../helpers.js';

const uid = process.getuid?.();

/** A temp root, and compileCacheDir's answer for these variables (XDG_CACHE_HOME under the root unless given). */
function ask(env: (root: string) => NodeJS.ProcessEnv, setup?: (root: string) => void, asUid = uid) {
  const root = sandbox().dir;
  setup?.(root);
  return {
    root,
    dir: compileCacheDir(
      testWorld({ env: { XDG_CACHE_HOME: join(root, 'xdg'), ...env(root) }, platform: 'linux' }),
      asUid,
    ),
  };
}

describe.skipIf(uid === undefined)(
  "Node's compile cache: a directory only the user can write (cli/compile-cache.ts)",
  () => {
    it('is <cache dir>/compile, created 0700', () => {
      const { root, dir } = ask(() => ({}));
      expect(dir).toBe(join(root, 'xdg', 'mcpform', 'compile'));
      expect(statSync(dir!).mode & 0o777).toBe(0o700);
      expect(ask((r) => ({ MCPFORM_CACHE_DIR: join(r, 'mine') })).dir).toMatch(/[\\/]mine[\\/]compile$/);
    });

    it.each([
      ['MCPFORM_NO_CACHE=1', { MCPFORM_NO_CACHE: '1' }],
      ["Node's NODE_DISABLE_COMPILE_CACHE", { NODE_DISABLE_COMPILE_CACHE: '1' }],
    ])('%s: no cache, nothing created', (_, env) => {
      const { root, dir } = ask(() => env);
      expect(dir).toBeUndefined();
      expect(existsSync(join(root, 'xdg'))).toBe(false);
    });

    it.each([
      ['a relative MCPFORM_CACHE_DIR', () => ({ MCPFORM_CACHE_DIR: 'relative/cache' })],
      ['a relative XDG_CACHE_HOME', () => ({ XDG_CACHE_HOME: 'relative/xdg' })],
    ])('%s: no cache, nothing created in the cwd', (_, env) => {
      expect(ask(env).dir).toBeUndefined();
      expect(existsSync('relative')).toBe(false);
    });

    const compile = (root: string) => join(root, 'xdg', 'mcpform', 'compile');
    it.each([
      ['world-writable', (r: string) => (mkdirSync(compile(r), { recursive: true }), chmodSync(compile(r), 0o777))],
      ['group-writable', (r: string) => (mkdirSync(compile(r), { recursive: true }), chmodSync(compile(r), 0o770))],
      [
        'a symlink (to a private dir)',
        (r: string) => {
          mkdirSync(join(r, 'elsewhere'), { mode: 0o700 });
          mkdirSync(join(r, 'xdg', 'mcpform'), { recursive: true });
          symlinkSync(join(r, 'elsewhere'), compile(r));
        },
      ],
      [
        'a file',
        (r: string) => (mkdirSync(join(r, 'xdg', 'mcpform'), { recursive: true }), writeFileSync(compile(r), '')),
      ],
      ['under a file', (r: string) => writeFileSync(join(r, 'xdg'), '')],
    ])('an existing dir that is %s: no cache, left as it was', (_, setup) => {
      const { root, dir } = ask(() => ({}), setup);
      expect(dir).toBeUndefined();
      if (existsSync(compile(root)) && statSync(compile(root)).isDirectory())
        expect(readdirSync(compile(root))).toEqual([]);
    });

    it("another user's dir: no cache", () => {
      expect(ask(() => ({}), undefined, uid! + 1).dir).toBeUndefined();
    });

    it('without user ids (Windows: its per-user LOCALAPPDATA is the boundary), no owner or mode check', () => {
      const open = (r: string) => (mkdirSync(compile(r), { recursive: true }), chmodSync(compile(r), 0o777));
      const root = sandbox().dir;
      open(root);
      const world = testWorld({ env: { XDG_CACHE_HOME: join(root, 'xdg') }, platform: 'linux' });
      expect(compileCacheDir(world, undefined)).toBe(compile(root));
    });
  },
);

const nodeHasCompileCache = 'enableCompileCache' in nodeModule;

describe.skipIf(!nodeHasCompileCache)('the binary on Node 22.1+', () => {
  const YAML = 'version: 1\nservers:\n  memory:\n    command: npx\n';

  it("keeps Node's compiled code in <cache dir>/compile; MCPFORM_NO_CACHE=1 keeps none", async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    const cache = join(sb.env.XDG_CACHE_HOME!, 'mcpform', 'compile');
    const off = await runCli(['plan'], { cwd: sb.path(''), env: { ...sb.env, MCPFORM_NO_CACHE: '1' } });
    expect([off.code, existsSync(cache)]).toEqual([0, false]);
    const on = await runCli(['plan'], { cwd: sb.path(''), env: sb.env });
    expect([on.code, on.stdout]).toEqual([0, off.stdout]);
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });

  it('a cache dir it cannot use changes nothing but the speed', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    const shared = join(sb.dir, 'shared');
    mkdirSync(join(shared, 'compile'), { recursive: true });
    chmodSync(join(shared, 'compile'), 0o777);
    const r = await runCli(['plan'], { cwd: sb.path(''), env: { ...sb.env, MCPFORM_CACHE_DIR: shared } });
    expect(r.code).toBe(0);
    expect(readdirSync(join(shared, 'compile'))).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GitLoadOptions } from '../../../src/config/git/host.js';
import { loadDesiredWithImports } from '../../../src/config/load.js';
import type { DesiredState } from '../../../src/config/types.js';
import { McpformError } from '../../../src/errors.js';
import { ensurePins, openLock, saveLock } from '../../../src/lock/sync.js';
import { profileChanges } from '../../../src/lock/git-imports.js';
import { readGitPins } from '../../../src/lock/git-pins.js';
import { sandbox, type Sandbox, testWorld } from '../../helpers.js';
import { gitEnv, makeRepo, profile } from './repo-fixture.js';
import { clientCatalog } from '../../../src/targets/index.js';

const root = (url: string, ref: string, path = 'base.mcp.yaml', extra = '') =>
  `version: 1\nimports:\n  - { git: "${url}", ref: "${ref}", path: "${path}" }\n${extra}servers:\n  local: { command: node, args: [local.js] }\n`;

function setup(files: Record<string, string> = { 'base.mcp.yaml': profile({ memory: '/srv/memory-v1.js' }) }) {
  const sb = sandbox();
  const repo = makeRepo(sb, 'team', files);
  return { sb, repo, env: gitEnv(sb) };
}

const load = (sb: Sandbox, env: NodeJS.ProcessEnv, git: GitLoadOptions = {}) =>
  loadDesiredWithImports(sb.path('mcp.yaml'), {
    clients: clientCatalog,
    gitPins: readGitPins,
    git,
    world: testWorld({ env, cwd: sb.path('') }),
  });

/** What plan does to mcp.lock: missing pins resolved and written. */
async function pin(state: DesiredState, env: NodeJS.ProcessEnv): Promise<void> {
  const open = openLock(state);
  await ensurePins(open, state, { world: testWorld({ env }) });
  await saveLock(open, state, false, { world: testWorld({ env }) });
}

const argsOf = (state: DesiredState, name: string) => state.servers.find((s) => s.name === name)?.args;

async function failure(p: Promise<unknown>): Promise<McpformError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(McpformError);
  return err as McpformError;
}

describe('git imports: loading', () => {
  it('reads a tagged profile and its relative imports at one commit; local definitions win', async () => {
    const { sb, repo, env } = setup({
      'base.mcp.yaml': profile(
        { memory: '/srv/memory.js', local: '/srv/team-local.js' },
        'imports: [./more/extra.mcp.yaml]\n',
      ),
      'more/extra.mcp.yaml': profile({ search: '/srv/search.js' }),
    });
    const commit = repo.git('rev-parse', 'HEAD');
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    const state = await load(sb, env);
    expect(state.servers.map((s) => s.name).sort()).toEqual(['local', 'memory', 'search']);
    expect(argsOf(state, 'local')).toEqual(['local.js']);
    expect(state.gitImports).toHaveLength(1);
    const g = state.gitImports![0]!;
    expect(g).toMatchObject({ key: `${repo.url}#base.mcp.yaml`, ref: 'v1', commit, locked: false });
    expect(Object.keys(g.files).sort()).toEqual(['base.mcp.yaml', 'more/extra.mcp.yaml']);
    // Only files on disk are watched and listed as sources.
    expect(state.sources).toEqual([sb.path('mcp.yaml')]);
  });

  it('pins the commit: a moved tag changes nothing until --update, which moves it', async () => {
    const { sb, repo, env } = setup();
    const first = repo.git('rev-parse', 'HEAD');
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    await pin(await load(sb, env), env);
    const lock = readFileSync(sb.path('mcp.lock'), 'utf8');
    expect(lock).toContain(`commit: ${first}`);
    expect(lock).toMatch(/base\.mcp\.yaml: sha256:[0-9a-f]{64}/);

    const second = repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/memory-v2.js', search: '/srv/s.js' }) });
    repo.git('tag', '-f', 'v1');
    const still = await load(sb, env);
    expect(argsOf(still, 'memory')).toEqual(['/srv/memory-v1.js']);
    expect(still.gitImports![0]).toMatchObject({ commit: first, locked: true });
    expect(still.gitImports![0]!.moved).toBeUndefined(); // the cache has not seen the move: no network

    const refreshed = await load(sb, env, { refresh: true });
    expect(refreshed.gitImports![0]!.moved).toEqual({ commit: second, ahead: true });
    expect(argsOf(refreshed, 'memory')).toEqual(['/srv/memory-v1.js']);

    const updated = await load(sb, env, { update: [`${repo.url}#base.mcp.yaml`] });
    expect(updated.gitImports![0]).toMatchObject({ commit: second, locked: false });
    expect(profileChanges(still.gitImports![0], updated.gitImports![0]!)).toEqual([
      { server: 'memory', kind: 'changed', fields: ['args'] },
      { server: 'search', kind: 'added', fields: [] },
    ]);
    await pin(updated, env);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toContain(`commit: ${second}`);
  });

  it('follows a branch and takes a full SHA as it is', async () => {
    const { sb, repo, env } = setup();
    const first = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '-q', '-b', 'staging');
    const onBranch = repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/staging.js' }) });
    repo.git('checkout', '-q', 'main');
    sb.write('mcp.yaml', root(repo.url, 'staging'));
    const branch = await load(sb, env);
    expect(branch.gitImports![0]!.commit).toBe(onBranch);
    expect(argsOf(branch, 'memory')).toEqual(['/srv/staging.js']);

    sb.write('mcp.yaml', root(repo.url, first));
    const bySha = await load(sb, env);
    expect(bySha.gitImports![0]!.commit).toBe(first);
    expect(argsOf(bySha, 'memory')).toEqual(['/srv/memory-v1.js']);
  });

  it('a history rewrite shows as a move that is not a descendant', async () => {
    const { sb, repo, env } = setup();
    repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/two.js' }) });
    sb.write('mcp.yaml', root(repo.url, 'main'));
    const pinned = await load(sb, env);
    await pin(pinned, env);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    const rewritten = repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/other.js' }) }, 'rewrite');
    const after = await load(sb, env, { refresh: true });
    expect(after.gitImports![0]!.moved).toEqual({ commit: rewritten, ahead: false });
    expect(argsOf(after, 'memory')).toEqual(['/srv/two.js']); // the pinned commit, kept in the cache
  });

  it('works offline from the cache once the pinned commit is there; a clear error otherwise', async () => {
    const { sb, repo, env } = setup();
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    await pin(await load(sb, env), env);
    repo.remove(); // the remote is gone (offline, or deleted)
    const offline = await load(sb, env);
    expect(argsOf(offline, 'memory')).toEqual(['/srv/memory-v1.js']);

    // A ref with no pin needs the remote.
    sb.write('mcp.yaml', root(repo.url, 'v2'));
    const err = await failure(load(sb, env));
    expect(err.code).toBe('GIT_IMPORT');
    expect(err.problems[0]?.location).toMatchObject({ file: 'mcp.yaml', line: 3 });
    expect(err.message).toContain(`cannot fetch ${repo.url}`);

    // A pin whose commit is not cached (a fresh machine) and a remote that is gone.
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    const fresh = await failure(load(sb, { ...env, MCPFORM_CACHE_DIR: join(sb.dir, 'other-cache') }));
    expect(fresh.code).toBe('GIT_IMPORT');
    expect(fresh.message).toMatch(/pinned in mcp\.lock is not in the cache .* cannot fetch/);
  });

  it('a pinned commit the remote no longer has is named, with the way out', async () => {
    const { sb, repo, env } = setup();
    repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/two.js' }) });
    sb.write('mcp.yaml', root(repo.url, 'main'));
    await pin(await load(sb, { ...env, MCPFORM_CACHE_DIR: join(sb.dir, 'cache-a') }), env);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
    const err = await failure(load(sb, { ...env, MCPFORM_CACHE_DIR: join(sb.dir, 'cache-b') }));
    expect(err.message).toMatch(/is not on .* any more/);
    expect(err.hint).toContain('mcpform lock --update');
  });

  it('--frozen-lockfile refuses a missing or stale pin before touching the network', async () => {
    const { sb, repo, env } = setup();
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    const missing = await failure(load(sb, env, { frozen: true }));
    expect(missing.code).toBe('LOCKFILE_FROZEN');
    expect(missing.message).toContain('mcp.lock has no pin for it');
    expect(existsSync(join(sb.dir, 'cache'))).toBe(false);

    await pin(await load(sb, env), env);
    expect((await load(sb, env, { frozen: true })).gitImports![0]!.locked).toBe(true);
    sb.write('mcp.yaml', root(repo.url, 'main'));
    const stale = await failure(load(sb, env, { frozen: true }));
    expect(stale.code).toBe('LOCKFILE_FROZEN');
    expect(stale.message).toContain("mcp.lock pins ref 'v1', but mcp.yaml asks for 'main'");
  });

  it('a file whose hash differs from mcp.lock at the pinned commit is refused', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main'));
    await pin(await load(sb, env), env);
    const lock = readFileSync(sb.path('mcp.lock'), 'utf8');
    writeFileSync(
      sb.path('mcp.lock'),
      lock.replace(/(base\.mcp\.yaml: sha256:)([0-9a-f])/, (_, a, c) => a + (c === '0' ? '1' : '0')),
    );
    const err = await failure(load(sb, env));
    expect(err.code).toBe('IMPORT_TAMPERED');
    expect(err.message).toMatch(/base\.mcp\.yaml at commit [0-9a-f]{12} has sha256:/);
  });
});

describe('git imports: the pins come from the caller', () => {
  it('mcp.lock is asked for only when the project has git imports, once per load, for its mcp.yaml', async () => {
    const { sb, repo, env } = setup();
    repo.git('tag', 'v1');
    const asked: string[] = [];
    const gitPins = async (file: string) => (asked.push(file), readGitPins(file));
    const loadWith = () =>
      loadDesiredWithImports(sb.path('mcp.yaml'), {
        clients: clientCatalog,
        gitPins,
        world: testWorld({ env, cwd: sb.path('') }),
      });
    // A broken mcp.lock does not matter to a project that imports nothing from git.
    sb.write('mcp.lock', 'lockfileVersion: [broken\n');
    sb.write('mcp.yaml', 'version: 1\nservers:\n  local: { command: node, args: [local.js] }\n');
    expect((await loadWith()).servers.map((s) => s.name)).toEqual(['local']);
    expect(asked).toEqual([]);
    // With a git import it is read, and its problem is the user's to fix.
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    const err = await failure(loadWith());
    expect(err.message).toMatch(/mcp\.lock is not valid YAML/);
    expect(asked).toEqual([sb.path('mcp.yaml')]);
  });

  it('what the caller passes is what pins the import', async () => {
    const { sb, repo, env } = setup();
    const first = repo.git('rev-parse', 'HEAD');
    repo.git('tag', 'v1');
    sb.write('mcp.yaml', root(repo.url, 'v1'));
    await load(sb, env); // fetches the repository into the cache
    repo.commit({ 'base.mcp.yaml': profile({ memory: '/srv/memory-v2.js' }) });
    repo.git('tag', '-f', 'v1');
    const key = `${repo.url}#base.mcp.yaml`;
    const pinned = { [key]: { git: repo.url, ref: 'v1', commit: first, files: {} } };
    const state = await loadDesiredWithImports(sb.path('mcp.yaml'), {
      clients: clientCatalog,
      gitPins: async () => pinned,
      world: testWorld({ env, cwd: sb.path('') }),
    });
    expect(state.gitImports![0]).toMatchObject({ key, commit: first, locked: true });
    expect(argsOf(state, 'memory')).toEqual(['/srv/memory-v1.js']);
  });
});

describe('git imports: what a profile may not do', () => {
  const refused = async (files: Record<string, string>, pattern: RegExp, path = 'base.mcp.yaml') => {
    const { sb, repo, env } = setup(files);
    sb.write('mcp.yaml', root(repo.url, 'main', path));
    const err = await failure(load(sb, env));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.problems.map((p) => p.message).join('\n')).toMatch(pattern);
    return { err, repo };
  };

  it.each([
    ['../ out of the repository', '../outside.mcp.yaml', /leaves the repository|outside the repository/],
    ['an absolute path', '/etc/passwd', /outside the repository/],
    ['a home path', '~/.ssh/config', /outside the repository/],
  ])('a relative import to %s is refused, located in the git file', async (_what, target, pattern) => {
    const { err, repo } = await refused(
      { 'base.mcp.yaml': profile({ memory: '/srv/m.js' }, `imports: ["${target}"]\n`) },
      pattern,
    );
    expect(err.problems[0]?.location?.file).toBe(`${repo.url}@main:base.mcp.yaml`);
    expect(err.problems[0]?.location?.line).toBe(2);
  });

  it('a symlink out of the repository is refused; one inside is followed', async () => {
    const sb = sandbox();
    const repo = makeRepo(sb, 'team', { 'real/base.mcp.yaml': profile({ memory: '/srv/m.js' }) });
    repo.symlink('inside.mcp.yaml', 'real/base.mcp.yaml');
    repo.symlink('outside.mcp.yaml', '../../project/secret.yaml');
    repo.symlink('dir', '/etc');
    repo.commit({});
    const env = gitEnv(sb);
    sb.write('secret.yaml', profile({ stolen: '/x' }));
    sb.write('mcp.yaml', root(repo.url, 'main', 'inside.mcp.yaml'));
    expect(argsOf(await load(sb, env), 'memory')).toEqual(['/srv/m.js']);
    for (const path of ['outside.mcp.yaml', 'dir/passwd']) {
      sb.write('mcp.yaml', root(repo.url, 'main', path));
      const err = await failure(load(sb, env));
      expect(err.problems[0]?.message).toMatch(/is a symlink to .*, outside the repository; refused/);
    }
  });

  it('an import cycle inside a repository is named with the repository files', async () => {
    const { err, repo } = await refused(
      {
        'base.mcp.yaml': profile({ a: '/a' }, 'imports: [./b.mcp.yaml]\n'),
        'b.mcp.yaml': profile({ b: '/b' }, 'imports: [./base.mcp.yaml]\n'),
      },
      /import cycle/,
    );
    const at = (f: string) => `${repo.url}@main:${f}`;
    expect(err.problems[0]?.message).toBe(
      `import cycle: ${at('base.mcp.yaml')} -> ${at('b.mcp.yaml')} -> ${at('base.mcp.yaml')}`,
    );
  });

  it('a file over 1 MiB is refused, like a local one', async () => {
    await refused({ 'base.mcp.yaml': `version: 1\n# ${'x'.repeat(1024 * 1024)}\n` }, /over 1 MiB/);
  });

  it('import paths that leave the repository are refused before git runs', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main', '../../etc/passwd'));
    const err = await failure(load(sb, env));
    expect(err.problems[0]?.message).toContain('leaves the repository');
    expect(existsSync(join(sb.dir, 'cache'))).toBe(false);
  });

  it.each([
    ['targets', 'targets: { cursor: { path: /tmp/x.json } }\n', /cannot set 'targets'/],
    ['envFile', 'envFile: /home/me/.aws/credentials\n', /cannot set 'envFile'/],
  ])('a profile setting %s is refused (located)', async (_k, extra, pattern) => {
    const { err } = await refused({ 'base.mcp.yaml': profile({ memory: '/srv/m.js' }, extra) }, pattern);
    expect(err.problems[0]?.location?.line).toBe(2);
  });

  it('relative cwd and ./command in a git profile are refused; absolute and ~ are fine', async () => {
    await refused(
      {
        'base.mcp.yaml':
          'version: 1\nservers:\n  a: { command: ./run.sh }\n  b: { command: node, cwd: scripts }\n  c: { command: node, cwd: /srv }\n  d: { command: node, cwd: ~/code }\n  e: { command: node, cwd: "${HOME}/x" }\n',
      },
      /server 'a': a profile from git cannot run a script by relative path[^]*server 'b': a profile from git cannot set a relative 'cwd'/,
    ).then(({ err }) => expect(err.problems).toHaveLength(2));
  });
});

describe('git imports: URLs and refs', () => {
  it.each([
    ['ext::sh -c touch% /tmp/pwned', /remote helper/],
    ['fd::3', /remote helper/],
    ['-uhttps://x', /starts with '-'/],
    ['https://user:pw@example.com/team.git', /carries credentials/],
    ['ftp://example.com/team.git', /scheme 'ftp:\/\/' is not allowed/],
    ['/srv/team.git', /file:\/\/\/path\/to\/repo/],
  ])('the URL %s is refused before git runs', async (url, pattern) => {
    const sb = sandbox();
    const env = gitEnv(sb);
    sb.write('mcp.yaml', root(url, 'main'));
    const err = await failure(load(sb, env));
    expect(err.problems[0]?.message).toMatch(pattern);
    expect(err.problems[0]?.location).toMatchObject({ file: 'mcp.yaml', line: 3 });
    expect(existsSync(join(sb.dir, 'cache'))).toBe(false);
  });

  it('an https URL that the user config rewrites to ext:: is still refused by git (protocol.allow)', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const marker = join(sb.dir, 'pwned');
    writeFileSync(
      env.GIT_CONFIG_GLOBAL!,
      `[url "ext::sh -c touch% ${marker}% >&2 #"]\n\tinsteadOf = https://evil.example/\n`,
    );
    sb.write('mcp.yaml', root('https://evil.example/team.git', 'main'));
    const err = await failure(load(sb, env));
    expect(err.code).toBe('GIT_IMPORT');
    expect(err.message).toMatch(/transport 'ext' not allowed/);
    expect(existsSync(marker)).toBe(false);
  });

  it.each(['--upload-pack=touch /tmp/x', 'a..b', 'v1:x'])('the ref %s is refused', async (ref) => {
    const sb = sandbox();
    sb.write('mcp.yaml', root('https://example.com/team.git', ref));
    const err = await failure(load(sb, gitEnv(sb)));
    expect(err.problems[0]?.message).toMatch(/ref/);
  });

  it('a ref the remote does not have is named', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'v9'));
    const err = await failure(load(sb, env));
    expect(err.message).toBe(`${repo.url} has no tag, branch or commit 'v9'`);
  });

  it("an entry without a ref is the schema's problem, and nothing is fetched", async () => {
    const sb = sandbox();
    sb.write('mcp.yaml', 'version: 1\nimports:\n  - { git: "https://example.com/t.git", path: a.yaml }\n');
    const err = await failure(load(sb, gitEnv(sb)));
    expect(err.problems.map((p) => p.message)).toEqual([
      "'imports.0' must be a file path or { git: URL, ref: TAG|BRANCH|SHA, path: FILE }",
    ]);
    expect(existsSync(join(sb.dir, 'cache'))).toBe(false);
  });

  it('an entry with a typo gets a did-you-mean', async () => {
    const sb = sandbox();
    sb.write('mcp.yaml', 'version: 1\nimports:\n  - { git: "https://example.com/t.git", ref: v1, pth: a.yaml }\n');
    const err = await failure(load(sb, gitEnv(sb)));
    expect(err.problems.map((p) => p.message).join('\n')).toContain(
      "unknown key 'pth' in 'imports.0' (did you mean 'path'?)",
    );
  });
});

describe('git imports: repeatability', () => {
  it('a second plan rewrites nothing in mcp.lock', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main'));
    await pin(await load(sb, env), env);
    const before = readFileSync(sb.path('mcp.lock'), 'utf8');
    const state = await load(sb, env);
    const open = openLock(state);
    await ensurePins(open, state, { world: testWorld({ env }) });
    expect(await saveLock(open, state, false, { world: testWorld({ env }) })).toBe(false);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toBe(before);
  });

  it('removing the import removes its pin', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main'));
    await pin(await load(sb, env), env);
    sb.write('mcp.yaml', 'version: 1\nservers:\n  local: { command: node }\n');
    await pin(await load(sb, env), env);
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).not.toContain('imports');
  });
});

describe('git imports: composition', () => {
  it('a profile may import another repository; both are pinned; local overrides of a git server resolve beside mcp.yaml', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const shared = makeRepo(sb, 'shared', { 'tools.mcp.yaml': profile({ search: '/srv/search.js' }) });
    const team = makeRepo(sb, 'team', {
      'base.mcp.yaml': profile(
        { memory: '/srv/m.js' },
        `imports:\n  - { git: "${shared.url}", ref: main, path: tools.mcp.yaml }\n`,
      ),
    });
    sb.write(
      'mcp.yaml',
      root(
        team.url,
        'main',
        'base.mcp.yaml',
        'environments:\n  default:\n    servers: [memory, search, local]\n    overrides:\n      memory: { cwd: ./work }\n',
      ),
    );
    const state = await load(sb, env);
    expect(state.servers.map((s) => s.name).sort()).toEqual(['local', 'memory', 'search']);
    expect(state.servers.find((s) => s.name === 'memory')?.cwd).toBe(sb.path('work'));
    expect(state.gitImports!.map((g) => g.key).sort()).toEqual(
      [`${shared.url}#tools.mcp.yaml`, `${team.url}#base.mcp.yaml`].sort(),
    );
    await pin(state, env);
    const lock = readFileSync(sb.path('mcp.lock'), 'utf8');
    expect(lock).toContain(`${shared.url}#tools.mcp.yaml:`);
    expect(lock).toContain(`${team.url}#base.mcp.yaml:`);
  });
});

describe('git imports: concurrent runs', () => {
  it('two loads at once on an empty cache clone once and agree', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main'));
    const [a, b] = await Promise.all([load(sb, env), load(sb, env)]);
    expect(a.gitImports![0]!.commit).toBe(repo.git('rev-parse', 'HEAD'));
    expect(b.gitImports![0]!.commit).toBe(a.gitImports![0]!.commit);
    expect(readdirSync(join(sb.dir, 'cache', 'git'))).toHaveLength(1); // no temp clone left behind
  });
});

describe('git imports: an interrupted clone', () => {
  it('a temp clone left by a killed run is removed by the next clone', async () => {
    const { sb, repo, env } = setup();
    sb.write('mcp.yaml', root(repo.url, 'main'));
    const { GitCache } = await import('../../../src/config/git/repo.js');
    const dir = new GitCache(join(sb.dir, 'cache'), env, 10_000).dirFor(repo.url);
    const dead = spawnSync('true').pid!; // exited: its pid names no process now
    mkdirSync(`${dir}.tmp-${dead}-0000/objects`, { recursive: true });
    await load(sb, env);
    expect(readdirSync(join(sb.dir, 'cache', 'git'))).toEqual([dir.split('/').pop()]);
  });
});

describe('git imports: a remote that hangs', () => {
  it('is cut off at MCPFORM_GIT_TIMEOUT_MS, with ssh and its children killed, and never prompts', async () => {
    const sb = sandbox();
    const pidFile = join(sb.dir, 'ssh.pid');
    // Stands in for an ssh that waits forever (an unreachable host, a passphrase prompt).
    const ssh = sb.write('fake-ssh.sh', `#!/bin/sh\necho $$ > "${pidFile}"\nexec sleep 600\n`);
    chmodSync(ssh, 0o755);
    const env = { ...gitEnv(sb), GIT_SSH_COMMAND: ssh, MCPFORM_GIT_TIMEOUT_MS: '1500' };
    sb.write('mcp.yaml', root('ssh://git@example.invalid/team.git', 'main'));
    const err = await failure(load(sb, env));
    expect(err.code).toBe('GIT_IMPORT');
    expect(err.message).toMatch(/git timed out after 2 s while cloning ssh:\/\/git@example\.invalid\/team\.git/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is not running.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

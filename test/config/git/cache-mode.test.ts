import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, sandbox } from '../../helpers.js';
import { gitEnv, makeRepo, profile } from './repo-fixture.js';

const mode = (p: string) => statSync(p).mode & 0o777;

// Under umask 0 every dir made without an explicit mode would be 0777.
function planUnderUmask0(cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('sh', ['-c', 'umask 0 && exec "$0" "$@"', process.execPath, CLI, 'plan'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.skipIf(process.platform === 'win32')('the git import cache is private however it is made', () => {
  it.each([
    ['a fresh cache whose parent is 0755', false],
    ['a git/ folder an older run left 0755', true],
  ])('%s: git/ and every clone in it are 0700', (_, looseGitDir) => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const repo = makeRepo(sb, 'team', { 'base.mcp.yaml': profile({ memory: '/srv/memory.js' }) });
    const cache = env.MCPFORM_CACHE_DIR!;
    mkdirSync(cache, { mode: 0o755 });
    chmodSync(cache, 0o755);
    if (looseGitDir) {
      mkdirSync(join(cache, 'git'));
      chmodSync(join(cache, 'git'), 0o755);
    }
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: main, path: base.mcp.yaml }\n`);
    const r = planUnderUmask0(sb.path(''), env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const git = join(cache, 'git');
    expect(mode(git)).toBe(0o700);
    const clones = readdirSync(git);
    expect(clones).toHaveLength(1);
    expect(clones[0]).toMatch(/-team\.git$/);
    expect(mode(join(git, clones[0]!))).toBe(0o700);
  });

  it('a clone an older run left 0755 is made 0700 on the next fetch', () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const repo = makeRepo(sb, 'team', { 'base.mcp.yaml': profile({ memory: '/srv/memory.js' }) });
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: main, path: base.mcp.yaml }\n`);
    expect(planUnderUmask0(sb.path(''), env).status).toBe(0);
    const git = join(env.MCPFORM_CACHE_DIR!, 'git');
    const clone = join(git, readdirSync(git)[0]!);
    chmodSync(clone, 0o755);
    const r = spawnSync(process.execPath, [CLI, 'plan', '--refresh'], { cwd: sb.path(''), env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(mode(clone)).toBe(0o700);
  });
});

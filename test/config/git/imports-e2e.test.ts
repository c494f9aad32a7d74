import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox } from '../../helpers.js';
import { SERVERS } from '../../servers.js';
import { gitEnv, makeRepo } from './repo-fixture.js';

const memory = (extra = '') => `  memory:\n    command: node\n    args: ["${SERVERS.memory}"]\n${extra}`;

describe('mcpform with a team profile from git (end to end)', () => {
  it('plan pins it, apply checks it, a moved tag waits for lock --update, which lists the profile changes', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const repo = makeRepo(sb, 'team-profiles', {
      'profiles/base.mcp.yaml': `version: 1\nservers:\n${memory()}`,
    });
    repo.git('tag', 'v1');
    const first = repo.git('rev-parse', 'HEAD');
    sb.write(
      'mcp.yaml',
      `version: 1\nimports:\n  - { git: "${repo.url}", ref: v1, path: profiles/base.mcp.yaml }\nservers: {}\n`,
    );
    const cli = (...args: string[]) => runCli(args, { cwd: sb.path(''), env });
    const key = `${repo.url}#profiles/base.mcp.yaml`;

    const plan = await cli('plan');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ memory  will be created');
    const lock = readFileSync(sb.path('mcp.lock'), 'utf8');
    expect(lock).toContain(
      `imports:\n  ${key}:\n    git: ${repo.url}\n    ref: v1\n    commit: ${first}\n    files:\n      profiles/base.mcp.yaml: sha256:`,
    );

    const apply = await cli('apply', '--yes');
    expect(apply.stderr).toContain('✓ memory: ok');
    expect(apply.code).toBe(0);
    expect(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers.memory.args).toEqual([SERVERS.memory]);

    // The team moves the tag: a changed server and a new one.
    const second = repo.commit({
      'profiles/base.mcp.yaml': `version: 1\nservers:\n${memory('    env: { LOG_LEVEL: warn }\n')}  notes:\n    command: node\n    args: ["${SERVERS.memory}"]\n`,
    });
    repo.git('tag', '-f', 'v1');

    const pinned = await cli('plan', '--detailed-exitcode');
    expect(pinned.stdout).toContain('No changes.');
    expect(pinned.stdout).not.toContain('Note:');
    expect(pinned.code).toBe(0);

    const refreshed = await cli('plan', '--refresh');
    const notes = refreshed.stdout.split('\n').filter((l) => l.startsWith('Note:'));
    expect(notes).toEqual([
      `Note: ${key}: 'v1' is now at ${second.slice(0, 12)}, past the pinned ${first.slice(0, 12)}; 'mcpform lock --update ${key}' moves the pin`,
    ]);
    expect(refreshed.stdout).toContain('No changes.');
    expect((await cli('plan', '--frozen-lockfile')).code).toBe(0);

    const update = await cli('lock', '--update', 'profiles/base.mcp.yaml', '--yes');
    expect(update.stderr).not.toContain('Error');
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(
      `moved ${key}: 'v1' ${first.slice(0, 12)} -> ${second.slice(0, 12)}\n  ~ memory: changed (env)\n  + notes: added\n`,
    );
    expect(update.stdout).toContain('recorded the tools of notes');
    // The review command it prints shows the whole change, values included.
    const review = /review: git --git-dir '([^']+)' diff (\w+) (\w+) -- 'profiles\/base\.mcp\.yaml'/.exec(
      update.stdout,
    );
    expect(review).not.toBeNull();
    const diff = execFileSync('git', ['--git-dir', review![1]!, 'diff', review![2]!, review![3]!], {
      env,
      encoding: 'utf8',
    });
    expect(diff).toContain('+    env: { LOG_LEVEL: warn }');
    const moved = readFileSync(sb.path('mcp.lock'), 'utf8');
    expect(moved).toContain(`commit: ${second}`);
    expect(moved).toMatch(/ {2}notes:\n {4}tools:/);

    const after = await cli('plan');
    expect(after.stdout).toContain('+ notes  will be created');
    expect(after.stdout).toContain('~ memory  will be updated in place');

    // CI: a ref with no pin fails and writes nothing.
    const lockBefore = readFileSync(sb.path('mcp.lock'), 'utf8');
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: main, path: profiles/base.mcp.yaml }\n`);
    const frozen = await cli('plan', '--frozen-lockfile');
    expect(frozen.code).toBe(1);
    expect(frozen.stderr).toContain(
      `mcp.yaml:3:5 git import ${key}: mcp.lock pins ref 'v1', but mcp.yaml asks for 'main'`,
    );
    expect(frozen.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(readFileSync(sb.path('mcp.lock'), 'utf8')).toBe(lockBefore);
  });

  it('plan works offline from the cache, and names the import when it cannot', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const repo = makeRepo(sb, 'team', { 'base.mcp.yaml': `version: 1\nservers:\n${memory()}` });
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: main, path: base.mcp.yaml }\n`);
    const cli = (...args: string[]) => runCli(args, { cwd: sb.path(''), env });
    expect((await cli('plan')).code).toBe(0);
    repo.remove();
    const offline = await cli('plan', '--json');
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout).targets[0].changes.map((c: { server: string }) => c.server)).toEqual(['memory']);

    const refresh = await cli('plan', '--refresh', '--json');
    expect(refresh.code).toBe(1);
    const doc = JSON.parse(refresh.stdout);
    expect(doc.error.code).toBe('GIT_IMPORT');
    expect(doc.error.message).toContain(`cannot fetch ${repo.url}`);
  });

  it('validate reports a git profile that sets targets at its own file, line and column', async () => {
    const sb = sandbox();
    const env = gitEnv(sb);
    const repo = makeRepo(sb, 'team', {
      'base.mcp.yaml': `version: 1\ntargets: { cursor: { path: /tmp/elsewhere.json } }\nservers:\n${memory()}`,
    });
    sb.write('mcp.yaml', `version: 1\nimports:\n  - { git: "${repo.url}", ref: main, path: base.mcp.yaml }\n`);
    const r = await runCli(['validate'], { cwd: sb.path(''), env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${repo.url}@main:base.mcp.yaml:2:1 a profile imported from git cannot set 'targets' (where mcpform writes); only the mcp.yaml that imports it can`,
    );
  });
});

describe('Ctrl-C while git waits on a remote', () => {
  it('ends mcpform and the git/ssh processes it started', async () => {
    const sb = sandbox();
    const pidFile = sb.path('ssh.pid');
    const ssh = sb.write('fake-ssh.sh', `#!/bin/sh\necho $$ > "${pidFile}"\nexec sleep 600\n`);
    chmodSync(ssh, 0o755);
    sb.write(
      'mcp.yaml',
      'version: 1\nimports:\n  - { git: "ssh://git@example.invalid/t.git", ref: main, path: a.yaml }\n',
    );
    const child = spawn(process.execPath, [CLI, 'plan'], {
      cwd: sb.path(''),
      env: { ...gitEnv(sb), GIT_SSH_COMMAND: ssh },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect
      .poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 20_000 })
      .toBe(true);
    const sshPid = Number(readFileSync(pidFile, 'utf8'));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    await expect.poll(() => running(sshPid), { timeout: 10_000 }).toBe(false);
  });
});

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

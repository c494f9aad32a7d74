import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/util/hash.js';
import { CLI, runCli, sandbox, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const tiny = (name: string, x: string) =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { X: "${x}" }\n`;
const YAML = `version: 1
defaultEnvironment: a
servers:
${tiny('t1', 'one')}${tiny('t2', 'two')}${tiny('t3', 'three')}${tiny('t4', 'four')}
environments:
  a: { servers: [t1, t2] }
  b: { servers: [t1, t3], overrides: { t1: { env: { X: "one-b" } } } }
  c: { servers: [t4] }
  d: { servers: [t2, t3, t4] }
`;

/** Starts `mcpform apply` and SIGKILLs it after `delayMs`; resolves when it is gone. */
function applyAndKill(sb: Sandbox, env: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', '-e', env, '--yes'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * What a complete apply would write from this exact state: run one in place, then put the
 * file and the state dir back exactly as they were (ownership is keyed by the file's path,
 * so a copy elsewhere would plan differently).
 */
async function expectedAfter(sb: Sandbox, env: string): Promise<Buffer> {
  const file = readFileSync(sb.claudeConfig);
  const saved = `${sb.dir}/state-saved`;
  rmSync(saved, { recursive: true, force: true });
  cpSync(sb.stateDir, saved, { recursive: true });
  const r = await runCli(['apply', '-e', env, '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
  expect(r.code, r.stderr).toBe(0);
  const result = readFileSync(sb.claudeConfig);
  writeFileSync(sb.claudeConfig, file);
  rmSync(sb.stateDir, { recursive: true, force: true });
  cpSync(saved, sb.stateDir, { recursive: true });
  return result;
}

/** The servers mcpform owns per target file, as the state dir records them. */
function ownedNames(sb: Sandbox): string {
  const dir = join(sb.stateDir, 'targets');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const servers = (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { servers?: object }).servers ?? {};
      return `${f}:${Object.keys(servers).sort().join(',')}`;
    })
    .join(';');
}

describe('crash safety', () => {
  it('SIGKILL at random moments, 100 times: the file is always the old or the new content, and the next apply completes', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    sb.env.MCPFORM_LOCK_TIMEOUT_MS = '30000'; // a lock orphaned before its owner file was written goes stale in 10 s
    writeJson(sb.claudeConfig, { mcpServers: { 'hand-made': { command: 'keep-me' } }, other: { setting: true } });
    const t0 = Date.now();
    const first = await runCli(['apply', '-e', 'a', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(first.code, first.stderr).toBe(0);
    const applyMs = Date.now() - t0;

    const outcomes = { old: 0, new: 0 };
    // A complete apply is deterministic in the file's bytes, the environment and which
    // servers mcpform owns: each expected result is computed once, so every kill stays cheap.
    const expectations = new Map<string, Buffer>();
    for (let i = 0; i < 100; i++) {
      const env = i % 2 === 0 ? 'b' : 'a';
      const old = readFileSync(sb.claudeConfig);
      const key = `${env} ${sha256(old)} ${ownedNames(sb)}`;
      const expected = expectations.get(key) ?? (await expectedAfter(sb, env));
      expectations.set(key, expected);
      await applyAndKill(sb, env, Math.random() * applyMs * 1.3);
      const now = readFileSync(sb.claudeConfig);
      expect(() => JSON.parse(now.toString('utf8'))).not.toThrow();
      const isOld = now.equals(old);
      const isNew = now.equals(expected);
      expect(isOld || isNew, `iteration ${i}: neither old nor new:\nNOW ${now}\nOLD ${old}\nNEW ${expected}`).toBe(
        true,
      );
      outcomes[isOld ? 'old' : 'new']++;
      // Recovery: the lock of the killed run is taken over at once; the checks ran in the killed run.
      const next = await runCli(['apply', '-e', env, '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
      expect(next.code, `iteration ${i}: ${next.stderr}`).toBe(0);
      const servers = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers;
      expect(servers['hand-made']).toEqual({ command: 'keep-me' });
      expect(servers.t1.env.X).toBe(env === 'b' ? 'one-b' : 'one');
    }
    // Both outcomes must actually have happened, or the kills were not at random moments.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
  }, 300_000);
});

describe('concurrency', () => {
  it('several applies of different environments at once: the end state is one of them, losers get the lock message', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const envs = ['a', 'b', 'c', 'd'];
    const runs = await Promise.all(
      envs.map((e) =>
        runCli(['apply', '-e', e, '--yes'], { cwd: sb.path(''), env: { ...sb.env, MCPFORM_LOCK_TIMEOUT_MS: '0' } }),
      ),
    );
    const winners = envs.filter((_, i) => runs[i]!.code === 0);
    expect(winners.length).toBeGreaterThan(0);
    runs.forEach((r) => {
      if (r.code !== 0)
        expect(r.stderr).toMatch(/is locked by (process \d+|another mcpform process)|changed since the plan was made/);
    });
    const servers = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers;
    const want: Record<string, string[]> = { a: ['t1', 't2'], b: ['t1', 't3'], c: ['t4'], d: ['t2', 't3', 't4'] };
    const matches = envs.filter((e) => JSON.stringify(Object.keys(servers).sort()) === JSON.stringify(want[e]));
    expect(matches.length, JSON.stringify(servers)).toBe(1);
    expect(winners).toContain(matches[0]);
  });

  it('a second apply waits for the lock, then fails naming the holder', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  slow:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { SLOW_START_MS: "3000" }\n`,
    });
    const holder = spawn(process.execPath, [CLI, 'apply', '--yes'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let holderErr = '';
    holder.stderr!.on('data', (d) => (holderErr += d));
    const locks = join(sb.stateDir, 'locks');
    for (let i = 0; i < 100 && !(existsSync(locks) && readdirSync(locks).some((f) => f.endsWith('.lock'))); i++)
      await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const second = await runCli(['apply', '--yes'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_LOCK_TIMEOUT_MS: '500' },
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is locked by process ${holder.pid}`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    const code = await new Promise((r) => holder.on('exit', r));
    // Held for over 3 s: the lock's heartbeat kept it ours the whole time.
    expect(code).toBe(0);
    expect(holderErr).not.toContain('taken over');
  });

  it('a lock left by a dead process is recovered at once', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  t:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n`,
    });
    const first = await runCli(['apply', '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
    expect(first.code).toBe(0);
    // Recreate the lock the way a killed apply leaves it: the dir, a fresh mtime, a dead pid.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    const lockDir = join(sb.stateDir, 'locks', `${sha256(sb.claudeConfig).slice(7, 23)}.lock`);
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(
      join(lockDir, 'owner.json'),
      JSON.stringify({ pid: dead.pid, host: hostname(), command: 'apply', since: new Date().toISOString() }),
    );
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  t:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { CHANGED: "1" }\n`,
    );
    const t0 = Date.now();
    const r = await runCli(['apply', '--yes', '--no-test'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_LOCK_TIMEOUT_MS: '5000' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(4000);
  });
});

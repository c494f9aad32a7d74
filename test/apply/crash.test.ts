import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/util/hash.js';
import { CLI, runCli, sandbox, until, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const tiny = (name: string, x: string) =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { X: "${x}" }\n`;
/** Rounds of kills, one at each aim (CRASH_ROUNDS=50 for a long soak: 300 kills). */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 6);
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

/**
 * Where in an apply a kill is aimed: at its start (nothing done yet), when it takes the lock,
 * when its backup appears, when the client file is replaced (its checks then run), or at a
 * random moment of a whole apply's length. The four points are events seen on disk, not
 * times, so they land where they should however loaded the machine is.
 */
type Aim = 'start' | 'lock' | 'backup' | 'write' | 'random';
const AIMS: readonly Aim[] = ['start', 'lock', 'backup', 'write', 'random', 'random'];

/** What happened to one killed apply. */
interface Kill {
  aim: Aim;
  /** It was still running when the SIGKILL came (not done before it). */
  killed: boolean;
  /** It had made its backup: the kill landed inside the transaction (write, checks, records). */
  inTransaction: boolean;
  /** What the client file held after it. */
  file?: 'old' | 'new';
}

/** Starts `mcpform apply` and SIGKILLs it at `aim`; resolves when it is gone. */
async function applyAndKill(sb: Sandbox, env: string, aim: Aim, applyMs: number): Promise<Kill> {
  const backups = join(sb.stateDir, 'backups');
  const before = new Set(readdirSync(backups));
  const watched: Partial<Record<Aim, [string, (name: string) => boolean]>> = {
    lock: [join(sb.stateDir, 'locks'), (name) => name.endsWith('.lock')],
    backup: [backups, (name) => !before.has(name)],
    write: [dirname(sb.claudeConfig), (name) => name === basename(sb.claudeConfig)],
  };
  const child = spawn(process.execPath, [CLI, 'apply', '-e', env, '--yes'], {
    cwd: sb.path(''),
    env: sb.env,
    stdio: 'ignore',
  });
  const kill = () => child.kill('SIGKILL');
  const target = watched[aim];
  // Watching starts with the process (an inotify watch costs nothing) and stops with it.
  const watcher = target && watch(target[0], (_event, name) => name && target[1](name) && kill());
  const timer = aim === 'random' ? setTimeout(kill, Math.random() * applyMs * 1.3) : undefined;
  if (aim === 'start') kill();
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  watcher?.close();
  clearTimeout(timer);
  const made = readdirSync(backups).some((id) => !before.has(id));
  return { aim, killed: signal === 'SIGKILL', inTransaction: signal === 'SIGKILL' && made };
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
  it('SIGKILL at chosen points and random moments: the file is always the old or the new content, and the next apply completes', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    writeJson(sb.claudeConfig, { mcpServers: { 'hand-made': { command: 'keep-me' } }, other: { setting: true } });
    const t0 = Date.now();
    const first = await runCli(['apply', '-e', 'a', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(first.code, first.stderr).toBe(0);
    const applyMs = Date.now() - t0;

    const kills: Kill[] = [];
    // A complete apply is deterministic in the file's bytes, the environment and which
    // servers mcpform owns: each expected result is computed once, so every kill stays cheap.
    const expectations = new Map<string, Buffer>();
    for (let i = 0; i < ROUNDS * AIMS.length; i++) {
      const env = i % 2 === 0 ? 'b' : 'a';
      const aim = AIMS[i % AIMS.length]!;
      const old = readFileSync(sb.claudeConfig);
      const key = `${env} ${sha256(old)} ${ownedNames(sb)}`;
      const expected = expectations.get(key) ?? (await expectedAfter(sb, env));
      expectations.set(key, expected);
      const kill = await applyAndKill(sb, env, aim, applyMs);
      kills.push(kill);
      const now = readFileSync(sb.claudeConfig);
      expect(() => JSON.parse(now.toString('utf8'))).not.toThrow();
      const isOld = now.equals(old);
      const isNew = now.equals(expected);
      expect(isOld || isNew, `kill ${i} (${aim}): neither old nor new:\nNOW ${now}\nOLD ${old}\nNEW ${expected}`).toBe(
        true,
      );
      kill.file = isOld ? 'old' : 'new';
      // Recovery: the lock of the killed run is taken over at once; the checks ran in the killed run.
      const next = await runCli(['apply', '-e', env, '--yes', '--no-test'], { cwd: sb.path(''), env: sb.env });
      expect(next.code, `kill ${i} (${aim}): ${next.stderr}`).toBe(0);
      const servers = JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers;
      expect(servers['hand-made']).toEqual({ command: 'keep-me' });
      expect(servers.t1.env.X).toBe(env === 'b' ? 'one-b' : 'one');
    }
    // Kills did land inside transactions (after the backup, before success was recorded), with
    // both outcomes there: killed before the file was replaced, and after it (during the checks).
    const landed = kills.filter((k) => k.inTransaction);
    const summary = JSON.stringify(kills);
    expect(landed.length, summary).toBeGreaterThanOrEqual(ROUNDS);
    expect(landed.filter((k) => k.file === 'old').length, summary).toBeGreaterThan(0);
    expect(landed.filter((k) => k.file === 'new').length, summary).toBeGreaterThan(0);
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
    const sb = sandbox();
    // The holder's check waits for this file: it holds the lock until the test is done with it.
    const gate = sb.path('gate');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  slow:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { WAIT_FOR: "${gate}" }\n`,
    );
    const holder = spawn(process.execPath, [CLI, 'apply', '--yes'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let holderErr = '';
    holder.stderr!.on('data', (d) => (holderErr += d));
    const locks = join(sb.stateDir, 'locks');
    const lockFile = await until(
      'the holder to take the lock',
      () => existsSync(locks) && readdirSync(locks).find((f) => f.endsWith('.lock')),
    );
    const taken = statSync(join(locks, lockFile)).mtimeMs;
    const t0 = Date.now();
    const second = await runCli(['apply', '--yes'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_LOCK_TIMEOUT_MS: '500' },
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is locked by process ${holder.pid}`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // it waited: 500 ms
    // Held past a heartbeat (the lock's mtime refreshed), and it stayed ours the whole time.
    await until('a heartbeat of the holder', () => statSync(join(locks, lockFile)).mtimeMs > taken);
    const exited = new Promise((r) => holder.on('exit', r));
    writeFileSync(gate, '');
    expect(await exited).toBe(0);
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
    // No waiting allowed: a holder still taken for alive would fail it at once with LOCK_HELD.
    const r = await runCli(['apply', '--yes', '--no-test'], {
      cwd: sb.path(''),
      env: { ...sb.env, MCPFORM_LOCK_TIMEOUT_MS: '0' },
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, runCli, sandbox, until, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const tiny = (name: string) => `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n`;
const YAML = `version: 1\ntargets: [claude-code, codex]\nreconcile: { selfHeal: true }\nservers:\n${tiny('t1')}${tiny('t2')}`;
const claudeJson = (sb: Sandbox) => join(sb.home, '.claude.json');
const codexToml = (sb: Sandbox) => join(sb.home, '.codex', 'config.toml');

/** A child process with its output collected as it comes. */
interface Proc {
  child: ChildProcess;
  out: () => string;
}
const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL');
});

function start(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
  stdin: 'pipe' | 'ignore' = 'ignore',
): Proc {
  const child = spawn(process.execPath, args, { ...opts, stdio: [stdin, 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return { child, out: () => text };
}

async function enrolled(): Promise<Sandbox> {
  const sb = sandbox({ 'mcp.yaml': YAML });
  writeJson(claudeJson(sb), { numStartups: 0, mcpServers: {} });
  const r = await runCli(['apply', '--yes'], { cwd: sb.path(''), env: sb.env });
  expect(r.code, r.stderr).toBe(0);
  const e = await runCli(['agent', 'enroll', sb.path('')], { cwd: sb.dir, env: sb.env });
  expect(e.code, e.stderr).toBe(0);
  expect(e.stdout).toContain('Enrolled');
  return sb;
}

const agent = (sb: Sandbox) => start([CLI, 'agent', 'run'], { cwd: sb.dir, env: sb.env });
const standIn = (sb: Sandbox, file: string, format: 'json' | 'toml', auto?: [number, number]) =>
  start(
    [join(FIXTURES, 'stand-in-client.mjs'), file, format, ...(auto ?? []).map(String)],
    { cwd: sb.dir, env: sb.env },
    auto ? 'ignore' : 'pipe',
  );

const ours = (sb: Sandbox) => {
  const j = JSON.parse(readFileSync(claudeJson(sb), 'utf8')) as { mcpServers: Record<string, unknown> };
  const t = parseToml(readFileSync(codexToml(sb), 'utf8')) as { mcp_servers: Record<string, unknown> };
  return ['t1', 't2'].every((s) => s in j.mcpServers && s in t.mcp_servers);
};
const parses = (path: string, format: 'json' | 'toml') => {
  try {
    const text = readFileSync(path, 'utf8');
    return format === 'json' ? JSON.parse(text) : parseToml(text);
  } catch {
    return undefined;
  }
};
/** Entries healed per client file so far, as the agent recorded them after each heal. */
const healedCounts = (sb: Sandbox): number[] => {
  try {
    const status = JSON.parse(readFileSync(join(sb.stateDir, 'reconcile', 'status.json'), 'utf8'));
    return status.projects[0].targets.map((t: { healed: number }) => t.healed);
  } catch {
    return [0];
  }
};
const heals = (sb: Sandbox, server: string) =>
  readFileSync(join(sb.stateDir, 'reconcile', 'events.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"event":"healed"') && l.includes(`"${server}"`)).length;

describe('agent run: a client that wipes its file', () => {
  it('puts the owned servers back after every wipe of ~/.claude.json and config.toml; hand-made entries and the client keys are never touched, no write lost', async () => {
    const sb = await enrolled();
    const a = agent(sb);
    await until(
      'the agent to watch the client files',
      () => /Watching .* for changes|\(watching\)/.test(a.out()),
      60_000,
    );
    const clients = [standIn(sb, claudeJson(sb), 'json'), standIn(sb, codexToml(sb), 'toml')];
    // Four wipes in all: below the back-off's five heals a minute, which the next test covers.
    for (let wipe = 1; wipe <= 3; wipe++) {
      for (const c of clients) c.child.stdin!.write('wipe\n');
      await until(`wipe ${wipe}`, () => clients.every((c) => c.out().includes(`WIPED ${wipe}`)), 20_000);
      // Generous deadline for a loaded machine; the agent heals as soon as the write settles.
      // The next wipe only once the heal is over (its checks read the file back; a wipe during them
      // makes apply roll back over the client's newer write: apply's race, see docs/reconcile.md).
      await until(
        `the servers back after wipe ${wipe}`,
        () => parses(codexToml(sb), 'toml') && ours(sb) && healedCounts(sb).every((n) => n >= 2 * wipe),
        60_000,
      ).catch((err: Error) => Promise.reject(new Error(`${err.message}\n--- agent:\n${a.out()}`)));
    }
    for (const c of clients) c.child.stdin!.end('wipe\n');
    await until('the stand-ins to finish', () => clients.every((c) => c.out().includes('DONE')), 20_000);
    await until('the last heal', () => ours(sb) && healedCounts(sb).every((n) => n >= 8), 60_000);
    for (const c of clients) expect(c.out()).not.toContain('LOST');
    const j = JSON.parse(readFileSync(claudeJson(sb), 'utf8'));
    expect(j.numStartups).toBe(4);
    expect(j.tipsHistory).toEqual({ 'new-user-warmup': 4 });
    expect(j.mcpServers['hand-made']).toEqual({ command: '/usr/local/bin/mine', args: ['--client'] });
    const t = parseToml(readFileSync(codexToml(sb), 'utf8')) as Record<string, unknown>;
    expect(t.model).toBe('gpt-test-model-name');
    expect(t.startups).toBe(4);
    expect((t.mcp_servers as Record<string, unknown>)['hand-made']).toEqual({
      command: '/usr/local/bin/mine',
      args: ['--client'],
    });
    expect(a.out()).not.toContain('not reconciled');
    expect(a.out()).not.toContain('Not healing');
    // Each of the 4 wipes took both servers from both files: 8 heals per file, recorded just after the write.
    const healed = async () => {
      const doc = JSON.parse((await runCli(['status', '--json'], { cwd: sb.dir, env: sb.env })).stdout);
      expect(doc.projects[0].enrolled).toBe(true);
      return doc.projects[0].targets.map((x: { healed: number }) => x.healed);
    };
    let counts = await healed();
    for (let i = 0; i < 50 && !counts.every((n: number) => n >= 8); i++) {
      await new Promise((r) => setTimeout(r, 200));
      counts = await healed();
    }
    expect(counts).toEqual([8, 8]);
  }, 180_000);

  it('backs off from a client that wipes every second, and says so once', async () => {
    const sb = await enrolled();
    const a = agent(sb);
    await until(
      'the agent to watch the client files',
      () => /Watching .* for changes|\(watching\)/.test(a.out()),
      60_000,
    );
    const c = standIn(sb, claudeJson(sb), 'json', [1000, 14]);
    await until('the stand-in to finish', () => c.out().includes('DONE'), 60_000);
    await until('the back-off notice', () => a.out().includes('Not healing'), 20_000);
    // One notice per entry, and far fewer heals than wipes: the agent did not spin.
    expect(a.out().match(/keeps removing or changing 't1'/g)).toHaveLength(1);
    expect(heals(sb, 't1')).toBeLessThanOrEqual(6);
    const status = await runCli(['status'], { cwd: sb.dir, env: sb.env });
    expect(status.stdout).toContain('backing off');
  }, 180_000);

  it('a kill -9 mid-pass leaves every file valid, and the next pass completes', async () => {
    const sb = await enrolled();
    const backups = join(sb.stateDir, 'backups');
    const a = agent(sb);
    await until(
      'the agent to watch the client files',
      () => /Watching .* for changes|\(watching\)/.test(a.out()),
      60_000,
    );
    const before = new Set(readdirSync(backups));
    // Killed the moment its heal makes a backup: inside the transaction, before or during the write.
    const watcher = watch(backups, (_e, name) => name && !before.has(name) && a.child.kill('SIGKILL'));
    const c = standIn(sb, claudeJson(sb), 'json');
    c.child.stdin!.end('wipe\n');
    await until('the agent to be killed', () => a.child.signalCode === 'SIGKILL', 60_000).catch((err: Error) =>
      Promise.reject(new Error(`${err.message}\n--- agent:\n${a.out()}`)),
    );
    watcher.close();
    expect(parses(claudeJson(sb), 'json')).toBeTruthy();
    expect(parses(codexToml(sb), 'toml')).toBeTruthy();
    expect(existsSync(claudeJson(sb))).toBe(true);
    const r = await runCli(['reconcile', '--json'], { cwd: sb.path(''), env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(ours(sb)).toBe(true);
    const j = JSON.parse(readFileSync(claudeJson(sb), 'utf8'));
    expect(j.numStartups).toBe(1);
  }, 120_000);
});

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runApply, type ApplyUi } from '../../src/apply/run.js';
import { McpformError } from '../../src/errors.js';
import { sha256 } from '../../src/util/hash.js';
import { CLI, runCli, sandbox, writeJson, type Sandbox, until, isAlive } from '../helpers.js';
import { fixture } from '../servers.js';

/*
 * apply's promise (docs/reference.md "What apply guarantees"): from the write until success is
 * recorded, any failure but SIGKILL puts every touched file back byte-for-byte, stops every
 * server it started, says what happened to each file and exits non-zero.
 */

const LIVE = '{"mcpServers":{"hand-made":{"command":"keep-me"}},  "other": [1, 2, 3]}\n';
const tiny = (name: string, env: Record<string, string> = {}) =>
  `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: ${JSON.stringify(env)}\n    test: { timeout: 60s }\n`;

function setup(servers: string, extra = ''): Sandbox {
  const sb = sandbox({ 'mcp.yaml': `version: 1\n${extra}servers:\n${servers}` });
  mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
  writeFileSync(sb.claudeConfig, LIVE);
  return sb;
}
const apply = (sb: Sandbox, args: string[] = ['--yes'], env: NodeJS.ProcessEnv = {}) =>
  runCli(['apply', ...args], { cwd: sb.path(''), env: { ...sb.env, ...env }, timeoutMs: 60_000 });

const owned = (sb: Sandbox) =>
  existsSync(join(sb.stateDir, 'targets'))
    ? readdirSync(join(sb.stateDir, 'targets')).flatMap((f) =>
        Object.keys(JSON.parse(readFileSync(join(sb.stateDir, 'targets', f), 'utf8')).servers),
      )
    : [];

// As root only an immutable folder (chattr +i) refuses writes; otherwise a 0555 folder does.
const isRoot = process.getuid?.() === 0;
const canFreeze = !isRoot || spawnSync('chattr', ['--help']).error === undefined;
function frozen<T>(dir: string, body: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  if (isRoot) execFileSync('chattr', ['+i', dir]);
  else chmodSync(dir, 0o555);
  return body().finally(() => {
    if (isRoot) execFileSync('chattr', ['-i', dir]);
    else chmodSync(dir, 0o755);
  });
}

describe('a signal during the health checks restores the file and stops the servers', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: exit %d, rolled back byte-for-byte, the server stopped, nothing owned', async (signal, code) => {
    const pidFile = `${sandbox().dir}/server.pid`;
    const sb = setup(tiny('slow', { SLOW_START_MS: '60000', PID_FILE: pidFile }));
    const child = spawn(process.execPath, [CLI, 'apply', '--yes'], { cwd: sb.path(''), env: sb.env, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    // The new file is in place and the server under test has started: mid-check.
    await until('the write', () => readFileSync(sb.claudeConfig, 'utf8') !== LIVE);
    await until('the server', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
    const serverPid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(serverPid)).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(stderr).toContain(
      `apply was interrupted by ${signal} (health checks of ${sb.claudeConfig}), and rolled back`,
    );
    expect(stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
    await until('the server to stop', () => !isAlive(serverPid), 5_000);
    expect(owned(sb)).toEqual([]);
  });
});

describe('an exception after the write restores the file', () => {
  it('a NUL byte reaching spawn inside the checks (an exception, not a failed check): rolled back, rejected', async () => {
    const sb = setup(tiny('t'));
    const ui: ApplyUi = {
      on: (event) => {
        if (event.type === 'checks-started') spawn('node', ['a\0b']); // throws ERR_INVALID_ARG_VALUE
      },
      confirm: async () => undefined,
    };
    const err = await runApply(sb.world, { yes: true, version: '0' }, ui).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpformError);
    expect((err as McpformError).code).toBe('ROLLED_BACK');
    expect((err as McpformError).message).toMatch(/apply failed and was rolled back: .*null bytes/);
    expect((err as McpformError).message).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(owned(sb)).toEqual([]);
  });

  it.skipIf(!canFreeze)('an unwritable state dir (the ownership record fails): rolled back, exit 1', async () => {
    const sb = setup(tiny('t'));
    const r = await frozen(join(sb.stateDir, 'targets'), () => apply(sb));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/apply failed and was rolled back: cannot record which servers mcpform manages/);
    expect(r.stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
    expect(r.stderr).not.toContain('Internal error');
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    // The next apply, with a writable state dir, completes from the old file.
    const again = await apply(sb);
    expect(again.code, again.stderr).toBe(0);
    expect(owned(sb)).toEqual(['t']);
  });
});

describe('a failed mcp.lock write restores the file and the ownership', () => {
  it.skipIf(!canFreeze)('the project folder is not writable: rolled back, exit 1, nothing owned', async () => {
    const sb = setup(tiny('t'));
    const r = await frozen(sb.path(''), () => apply(sb));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/apply failed and was rolled back: .*(EACCES|EPERM|EROFS)/);
    expect(r.stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(existsSync(sb.path('mcp.lock'))).toBe(false);
    expect(owned(sb)).toEqual([]);
  });
});

describe('a multi-target apply is all-or-nothing', () => {
  it.skipIf(!canFreeze)('target 2 cannot be written: target 1 is restored too, and each file is named', async () => {
    const sb = setup(tiny('t'), 'targets: [claude-desktop, cursor]\n');
    const cursor = sb.env.MCPFORM_CURSOR_CONFIG!;
    writeJson(cursor, { mcpServers: { mine: { command: 'x' } } });
    const cursorBefore = readFileSync(cursor);
    const r = await frozen(join(cursor, '..'), () => apply(sb));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/apply failed and was rolled back: cannot write .*\.cursor\/mcp\.json/);
    expect(r.stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
    expect(r.stderr).toContain(`${cursor}: not changed`);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(readFileSync(cursor).equals(cursorBefore)).toBe(true);
    expect(owned(sb)).toEqual([]);
  });
});

describe('mcp.lock under concurrency', () => {
  it('8 parallel applies of one mcp.yaml (each to its own client file) keep all 16 fingerprints', async () => {
    const envs = Array.from({ length: 8 }, (_, i) => `e${i}`);
    const servers = envs.map((e) => tiny(`${e}a`) + tiny(`${e}b`)).join('');
    const environments = envs.map((e) => `  ${e}: { servers: [${e}a, ${e}b] }\n`).join('');
    const sb = setup(servers, '');
    sb.write('mcp.yaml', `version: 1\nservers:\n${servers}environments:\n${environments}`);
    const runs = await Promise.all(
      envs.map((e) =>
        apply(sb, ['-e', e, '--yes'], {
          MCPFORM_CLAUDE_DESKTOP_CONFIG: join(sb.dir, `${e}.json`),
          MCPFORM_LOCK_TIMEOUT_MS: '60000',
        }),
      ),
    );
    runs.forEach((r, i) => expect(r.code, `${envs[i]}: ${r.stderr}`).toBe(0));
    const lock = parse(readFileSync(sb.path('mcp.lock'), 'utf8'));
    expect(Object.keys(lock.servers).sort()).toEqual(envs.flatMap((e) => [`${e}a`, `${e}b`]).sort());
    for (const entry of Object.values(lock.servers) as { tools: { names: string[] } }[])
      expect(entry.tools.names).toEqual(['ping']);
  }, 120_000);
});

describe('nothing is written when apply is refused before the write', () => {
  it('--frozen-lockfile with a server mcp.lock has no fingerprint for: refused, file, backups and ownership untouched', async () => {
    const sb = setup(tiny('t'));
    const r = await apply(sb, ['--yes', '--frozen-lockfile']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'mcp.lock has no tool fingerprint for t, and --frozen-lockfile forbids writing it; nothing was changed',
    );
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(existsSync(join(sb.stateDir, 'backups'))).toBe(false);
    expect(owned(sb)).toEqual([]);
    expect(existsSync(sb.path('mcp.lock'))).toBe(false);
  });

  it('a read-only (0444) client file is refused, not replaced', async () => {
    const sb = setup(tiny('t'));
    chmodSync(sb.claudeConfig, 0o444);
    const r = await apply(sb);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${sb.claudeConfig} is read-only; mcpform will not replace it, and nothing was changed`);
    expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
    expect(lstatSync(sb.claudeConfig).mode & 0o777).toBe(0o444);
    expect(existsSync(join(sb.stateDir, 'backups'))).toBe(false);
  });
});

describe('symlinked client files (a dotfiles repo)', () => {
  it('a failed apply that created the file removes it and the folder it made, and says so', async () => {
    const sb = setup(tiny('t'));
    const fresh = join(sb.home, 'fresh-client', 'nested', 'config.json');
    const env = { MCPFORM_CLAUDE_DESKTOP_CONFIG: fresh };
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  bad:\n    command: node\n    args: ["${fixture('exits-at-once.mjs')}"]\n`,
    );
    const failed = await apply(sb, ['--yes'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `${fresh}: removed the file it created, and the folder ${join(sb.home, 'fresh-client')} it made`,
    );
    expect(failed.stderr).not.toContain('byte-for-byte');
    expect(existsSync(join(sb.home, 'fresh-client'))).toBe(false);
    expect(existsSync(sb.home)).toBe(true);
    const json = await apply(sb, ['--yes', '--json'], env);
    const doc = JSON.parse(json.stdout) as { error: { hint: string; files: { state: string }[] } };
    expect(doc.error.files.map((f) => f.state)).toEqual(['removed']);
    expect(doc.error.hint).not.toContain('above'); // nothing is above a JSON document
  });

  it('a dangling symlink is written through; a failed apply and a rollback remove only its target', async () => {
    const sb = setup(tiny('t'));
    const dotfiles = join(sb.dir, 'dotfiles');
    mkdirSync(dotfiles);
    const target = join(dotfiles, 'claude.json');
    execFileSync('rm', [sb.claudeConfig]);
    symlinkSync(target, sb.claudeConfig);
    const link = () => lstatSync(sb.claudeConfig).isSymbolicLink() && readlinkSync(sb.claudeConfig) === target;

    // A failed apply: the target it created is removed, the link stays.
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  bad:\n    command: node\n    args: ["${fixture('exits-at-once.mjs')}"]\n`,
    );
    const failed = await apply(sb);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('rolled back');
    expect(link()).toBe(true);
    expect(existsSync(target)).toBe(false);

    sb.write('mcp.yaml', `version: 1\nservers:\n${tiny('t')}`);
    const ok = await apply(sb);
    expect(ok.code, ok.stderr).toBe(0);
    expect(link()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).mcpServers.t.command).toBe('node');

    const back = await runCli(['rollback', '--yes'], { cwd: sb.path(''), env: sb.env });
    expect(back.code, back.stderr).toBe(0);
    expect(link()).toBe(true);
    expect(existsSync(target)).toBe(false);
  });
});

describe('a lock left by a killed process never blocks, however old', () => {
  const deadPid = async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    return dead.pid!;
  };
  it.each([
    ['a lock file', false],
    ["mcpform 0.1's lock directory (the ENOTEMPTY case)", true],
  ])('%s an hour old: apply and rollback go ahead at once', async (_l, asDir) => {
    const sb = setup(tiny('t'));
    expect((await apply(sb, ['--yes', '--no-test'])).code).toBe(0);
    const lock = join(sb.stateDir, 'locks', `${sha256(sb.claudeConfig).slice(7, 23)}.lock`);
    const holder = JSON.stringify({
      pid: await deadPid(),
      host: hostname(),
      command: 'apply',
      since: '2026-01-01T00:00:00Z',
      token: 'x',
    });
    const old = new Date(Date.now() - 3600_000);
    const abandon = () => {
      if (asDir) {
        mkdirSync(lock, { recursive: true });
        writeFileSync(join(lock, 'owner.json'), holder);
      } else writeFileSync(lock, holder);
      utimesSync(lock, old, old);
    };
    abandon();
    const fast = { MCPFORM_LOCK_TIMEOUT_MS: '0' }; // no waiting: the lock must be recognised as abandoned
    sb.write('mcp.yaml', `version: 1\nservers:\n${tiny('t', { CHANGED: '1' })}`);
    const r = await apply(sb, ['--yes', '--no-test'], fast);
    expect(r.code, r.stderr).toBe(0);
    abandon();
    const back = await runCli(['rollback', '--yes'], { cwd: sb.path(''), env: { ...sb.env, ...fast } });
    expect(back.code, back.stderr).toBe(0);
  });
});

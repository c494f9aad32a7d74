import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signalExitCode, TERMINATING_SIGNALS } from '../../src/util/terminating-signals.js';
import { CLI, isAlive, ROOT, sandbox, until } from '../helpers.js';
import { fixture } from '../servers.js';

/*
 * docs/reference.md "What apply guarantees": every terminating signal Node lets a process catch is
 * undone like Ctrl-C. One real apply per signal, killed while its one server is starting.
 */

const LIVE = '{"mcpServers":{"hand-made":{"command":"keep-me"}},  "other": [1, 2, 3]}\n';

describe('the list', () => {
  it('holds the signals that end a Node process on Linux, and none that Node ignores or cannot survive', () => {
    if (process.platform !== 'linux') return;
    expect([...TERMINATING_SIGNALS].sort()).toEqual(
      [
        'SIGABRT',
        'SIGALRM',
        'SIGHUP',
        'SIGINT',
        'SIGPOLL',
        'SIGPROF',
        'SIGPWR',
        'SIGQUIT',
        'SIGSTKFLT',
        'SIGSYS',
        'SIGTERM',
        'SIGTRAP',
        'SIGUSR1',
        'SIGUSR2',
        'SIGVTALRM',
        'SIGXCPU',
      ].sort(),
    );
    expect(signalExitCode('SIGQUIT')).toBe(131);
    // The reference's promise names the same list.
    const readme = readFileSync(join(ROOT, 'docs', 'reference.md'), 'utf8');
    const promise = readme.slice(
      readme.indexOf('#### What apply guarantees'),
      readme.indexOf('- **What "undone" means'),
    );
    for (const signal of TERMINATING_SIGNALS) expect(promise).toContain(signal);
    expect(signalExitCode('SIGUSR1')).toBe(138);
  });
});

describe('every terminating signal during the health checks restores the file', () => {
  it.each(TERMINATING_SIGNALS.map((s) => [s, signalExitCode(s)] as const))(
    '%s: exit %d, the file as it was, the server stopped, nothing owned',
    async (signal, code) => {
      const pidFile = `${sandbox().dir}/server.pid`;
      const sb = sandbox({
        'mcp.yaml': `version: 1\nservers:\n  slow:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n    env: { SLOW_START_MS: "60000", PID_FILE: "${pidFile}" }\n`,
      });
      mkdirSync(join(sb.claudeConfig, '..'), { recursive: true });
      writeFileSync(sb.claudeConfig, LIVE);
      const child = spawn(process.execPath, [CLI, 'apply', '--yes'], { cwd: sb.path(''), env: sb.env, stdio: 'pipe' });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
      await until('the write', () => readFileSync(sb.claudeConfig, 'utf8') !== LIVE);
      await until('the server', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
      const serverPid = Number(readFileSync(pidFile, 'utf8'));
      child.kill(signal);
      expect(await exited, stderr).toEqual([code, null]);
      expect(readFileSync(sb.claudeConfig, 'utf8')).toBe(LIVE);
      expect(stderr).toContain(`apply was interrupted by ${signal}`);
      expect(stderr).toContain(`${sb.claudeConfig}: restored byte-for-byte`);
      await until('the server to stop', () => !isAlive(serverPid), 5_000);
      const records = join(sb.stateDir, 'targets');
      const owned = existsSync(records)
        ? readdirSync(records).flatMap((f) => Object.keys(JSON.parse(readFileSync(join(records, f), 'utf8')).servers))
        : [];
      expect(owned).toEqual([]);
    },
  );
});

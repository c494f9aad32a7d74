import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';
import { runInProcess } from './run-in-process.js';

const COMMANDS = ['init', 'add', 'validate', 'plan', 'test', 'apply', 'doctor', 'watch', 'backups', 'rollback', 'lock'];
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the binary', () => {
  it('starts: --version prints the package version, exit 0', async () => {
    const r = await runCli(['--version']);
    expect([r.code, r.stdout.trim(), r.stderr]).toEqual([0, version, '']);
  });
});

// The rest is the command registry's behaviour: run in-process (test/cli/run-in-process.ts).
describe('the command line', () => {
  it('--version prints the package version, exit 0', async () => {
    const r = await runInProcess(['--version']);
    expect([r.code, r.stdout.trim()]).toEqual([0, version]);
  });

  it('--help lists every command of the contract, exit 0', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    for (const o of ['--file', '--env', '--target', '--json', '--no-color']) expect(r.stdout).toContain(o);
  });

  it.each(COMMANDS)('%s --help exits 0', async (c) => {
    const r = await runInProcess([c, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: mcpform ${c}`);
  });

  it.each([
    [
      ['plan', '--help'],
      ['--out', '--json', '--detailed-exitcode', '--prune', '--frozen-lockfile'],
    ],
    [
      ['apply', '--help'],
      ['--yes', '--no-test', '--prune', '--allow-empty', '--frozen-lockfile'],
    ],
    [
      ['test', '--help'],
      ['--live', '--json', '--report'],
    ],
    [
      ['init', '--help'],
      ['--import', '--force'],
    ],
    [['lock', '--help'], ['--update']],
    [['rollback', '--help'], ['--yes']],
  ])('%j documents its flags', async (args, flags) => {
    const r = await runInProcess(args);
    for (const f of flags) expect(r.stdout).toContain(f);
  });

  it('no command: help on stderr, exit 1; an unknown one: a suggestion, exit 1', async () => {
    expect((await runInProcess([])).code).toBe(1);
    const r = await runInProcess(['plna']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Did you mean plan?');
  });

  it('no mcp.yaml anywhere: a clear error and a hint, exit 1', async () => {
    const r = await runInProcess(['plan'], { cwd: '/', env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no mcp.yaml found');
    expect(r.stderr).toContain("run 'mcpform init'");
  });
});

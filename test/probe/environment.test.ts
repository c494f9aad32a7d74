import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientEnvironment, defaultEnvironment, isBatchFile, whichCommand } from '../../src/probe/environment.js';

describe('client environment', () => {
  it('is the same as the MCP SDK gives stdio servers', () => {
    // The SDK reads the host's env and platform: the same World here gives the same.
    expect(defaultEnvironment({ env: process.env, platform: process.platform })).toEqual(getDefaultEnvironment());
  });

  it('adds the entry env and nothing else from the shell', () => {
    const env = clientEnvironment(
      { A: '1' },
      defaultEnvironment({ env: { PATH: '/bin', HOME: '/h', SECRET_IN_SHELL: 'x' }, platform: 'linux' }),
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', A: '1' });
  });

  it('skips shell functions', () => {
    expect(defaultEnvironment({ env: { SHELL: '() { evil; }', PATH: '/bin' }, platform: 'linux' })).toEqual({
      PATH: '/bin',
    });
  });

  it('finds commands on the given PATH only', () => {
    expect(whichCommand('sh', { PATH: '/bin:/usr/bin' }, { platform: 'linux' })).toMatch(/\/sh$/);
    expect(whichCommand('sh', { PATH: '/nonexistent' }, { platform: 'linux' })).toBeUndefined();
  });
});

describe('PATH lookup by the World platform', () => {
  // A win32 World on this host: the files are a set of Windows paths.
  // Windows file names are case-insensitive: `npx` + `.CMD` is npx.cmd.
  const files = new Set(['c:\\nodejs\\npx.cmd', 'c:\\nodejs\\node.exe', 'c:\\tools\\uvx.exe']);
  const isFile = (p: string) => files.has(p.toLowerCase());
  const win = { platform: 'win32' as const };
  const env = { Path: 'C:\\Windows;C:\\nodejs;C:\\tools', PATHEXT: '.COM;.EXE;.BAT;.CMD' };
  it.each([
    ['npx', 'C:\\nodejs\\npx.CMD'],
    ['npx.cmd', 'C:\\nodejs\\npx.cmd'],
    ['node.exe', 'C:\\nodejs\\node.exe'],
    ['node', 'C:\\nodejs\\node.EXE'],
    ['uvx', 'C:\\tools\\uvx.EXE'],
    ['npx.exe', undefined],
    ['npm', undefined],
  ])('win32: %s -> %s', (command, found) => {
    expect(whichCommand(command, env, win, isFile)).toBe(found);
  });

  // Node's spawn without a shell (a `plain` client): .com and .exe only, never PATHEXT.
  it.each([
    ['npx', undefined],
    ['npx.cmd', 'C:\\nodejs\\npx.cmd'],
    ['node', 'C:\\nodejs\\node.exe'],
    ['node.exe', 'C:\\nodejs\\node.exe'],
    ['uvx', 'C:\\tools\\uvx.exe'],
  ])('win32, plain start: %s -> %s', (command, found) => {
    expect(whichCommand(command, env, { ...win, windowsStart: 'plain' }, isFile)).toBe(found);
  });

  it('win32, resolving start: PATHEXT, as with no start given', () => {
    expect(whichCommand('npx', env, { ...win, windowsStart: 'resolving' }, isFile)).toBe('C:\\nodejs\\npx.CMD');
  });

  it('a batch file is one only cmd.exe runs', () => {
    expect(['npx.cmd', 'X.BAT', 'node.exe', 'npx'].map(isBatchFile)).toEqual([true, true, false, false]);
  });

  it('posix: no PATHEXT, the name as it is', () => {
    const posixFiles = new Set(['/usr/bin/npx', '/opt/x/npx.cmd']);
    const lookup = (c: string) =>
      whichCommand(c, { PATH: '/usr/bin:/opt/x' }, { platform: 'darwin' }, (p) => posixFiles.has(p));
    expect(lookup('npx')).toBe('/usr/bin/npx');
    expect(lookup('npx.cmd')).toBe('/opt/x/npx.cmd');
    expect(lookup('node')).toBeUndefined();
  });

  it('win32 World against real files: a temp dir holding npx.cmd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpform-pathext-'));
    try {
      writeFileSync(join(dir, 'npx.cmd'), '@echo off\r\n', { mode: 0o755 });
      // Only the host's path rules can name a real file here; on a Windows host this is the real lookup.
      const real = whichCommand('npx.cmd', { PATH: dir, PATHEXT: '.EXE;.CMD' }, { platform: process.platform });
      expect(real).toBe(join(dir, 'npx.cmd'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

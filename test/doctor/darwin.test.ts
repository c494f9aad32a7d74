import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../src/doctor/checks.js';
import { shellOnlyHint, specFromDesired } from '../../src/probe/specs.js';
import { adapterFor } from '../../src/targets/index.js';
import type { DesiredServer } from '../../src/config/types.js';
import { testWorld } from '../helpers.js';

// A darwin World on this (Linux) host: the files are a fake Mac's, where Homebrew's npx is the only one.
const MAC_FILES = new Set(['/opt/homebrew/bin/npx', '/opt/homebrew/bin/node', '/usr/bin/python3']);
const isFile = (p: string) => MAC_FILES.has(p);
const SHELL = { PATH: '/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/Users/me', USER: 'me' };
const LAUNCHD_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

const memory: DesiredServer = {
  name: 'memory',
  kind: 'command',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-memory'],
  env: {},
  headers: {},
  test: { timeoutMs: 30_000, expectTools: [], skip: false },
  sensitive: new Set(),
  secrets: [],
  origin: { file: 'mcp.yaml', line: 1, col: 1 },
};

describe('macOS: Claude Desktop starts servers with launchd’s PATH, not the shell’s', () => {
  it('doctor reports Homebrew’s npx as not on the PATH Claude Desktop gives servers', () => {
    const found = checkEntry(
      'memory',
      { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      { platform: 'darwin', env: SHELL, launch: adapterFor('claude-desktop').launch, isFile },
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: 'command-not-on-client-path',
      cause: expect.stringContaining(
        `npx is /opt/homebrew/bin/npx, which is on your shell's PATH but not on the PATH the client gives servers (${LAUNCHD_PATH})`,
      ),
      fix: expect.stringContaining(
        '"command": "/opt/homebrew/bin/npx", and since it starts node through its #! line, add "env": { "PATH": "/opt/homebrew/bin:/usr/bin:/bin" }',
      ),
    });
  });

  it('a command in /usr/bin, and any command for a client started from the shell, is fine', () => {
    const ctx = { platform: 'darwin' as const, env: SHELL, isFile };
    expect(checkEntry('py', { command: 'python3', args: ['/srv/s.py'] }, { ...ctx, launch: 'gui' })).toEqual([]);
    const cli = checkEntry('memory', { command: 'npx', args: ['-y', 'x'] }, { ...ctx, launch: 'cli' });
    expect(cli.map((f) => f.id)).toEqual([]);
  });

  it('the health check starts it with that PATH, and says where the shell finds npx', () => {
    const world = testWorld({ env: SHELL, platform: 'darwin', home: '/Users/me' });
    const spec = specFromDesired(memory, adapterFor('claude-desktop'), new Map(), world);
    if (spec.launch.kind !== 'stdio') throw new Error('a stdio launch');
    expect(spec.launch.env.PATH).toBe(LAUNCHD_PATH);
    expect(spec.launch.command).toBe('npx');
    expect(shellOnlyHint('npx', spec.launch.env, world, isFile)).toMatch(
      /^'npx' is \/opt\/homebrew\/bin\/npx, on your shell's PATH but not on the PATH the client gives servers/,
    );
    // Claude Code is started from the shell: its servers get the shell's PATH.
    const code = specFromDesired(memory, adapterFor('claude-code'), new Map(), world);
    expect(code.launch.kind === 'stdio' && code.launch.env.PATH).toBe(SHELL.PATH);
  });
});

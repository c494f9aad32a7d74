import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../src/doctor/checks.js';
import type { DesiredServer } from '../../src/config/types.js';
import { specFromDesired } from '../../src/probe/specs.js';
import { adapterFor } from '../../src/targets/index.js';
import { expandPercent, isCmd, percentVariables } from '../../src/targets/windows-vars.js';
import { testWorld } from '../helpers.js';

describe('%VAR%: the syntax', () => {
  it.each([
    ['%APPDATA%\\x', ['APPDATA']],
    ['%ProgramFiles(x86)%\\Tool', ['ProgramFiles(x86)']],
    ['100% sure', []],
    ['%20encoded%2F', []],
    ['%A%%B%', ['A', 'B']],
  ])('%s -> %j', (text, names) => expect(percentVariables(text)).toEqual(names));

  it('expands by Windows names (any case); an unset one becomes empty, as Gemini CLI does', () => {
    expect(expandPercent('%appdata%\\x;%NOPE%;50%', { APPDATA: 'C:\\A' })).toBe('C:\\A\\x;;50%');
  });

  it.each([
    ['cmd', true],
    ['CMD.EXE', true],
    ['C:\\Windows\\System32\\cmd.exe', true],
    ['npx', false],
    ['cmdx', false],
  ])('isCmd(%s) = %s', (command, want) => expect(isCmd(command)).toBe(want));
});

const server: DesiredServer = {
  name: 'fs',
  kind: 'command',
  command: 'node',
  args: ['C:\\srv\\fs.js', '%USERPROFILE%\\docs'],
  env: { DATA: '%APPDATA%\\fs' },
  headers: {},
  test: { timeoutMs: 30_000, expectTools: [], skip: false },
  sensitive: new Set(),
  secrets: [],
  origin: { file: 'mcp.yaml', line: 1, col: 1 },
};
const WIN_ENV = { USERPROFILE: 'C:\\Users\\me', APPDATA: 'C:\\Users\\me\\AppData\\Roaming', Path: 'C:\\nodejs' };

describe('%VAR% follows the World’s platform: the health check gives the server what the client does', () => {
  const envOf = (client: string, platform: NodeJS.Platform) => {
    const spec = specFromDesired(server, adapterFor(client), new Map(), testWorld({ env: WIN_ENV, platform }));
    if (spec.launch.kind !== 'stdio') throw new Error('a stdio launch');
    return { env: spec.launch.env.DATA, args: spec.launch.args };
  };
  it('Gemini CLI on Windows expands it in env', () => {
    expect(envOf('gemini-cli', 'win32').env).toBe('C:\\Users\\me\\AppData\\Roaming\\fs');
  });
  it.each([
    ['claude-desktop', 'win32'],
    ['vscode', 'win32'],
    ['gemini-cli', 'linux'],
    ['gemini-cli', 'darwin'],
  ] as const)('%s on %s: the literal text', (client, platform) => {
    expect(envOf(client, platform).env).toBe('%APPDATA%\\fs');
  });
  it('args are not the client’s to expand: only cmd does, on the Windows host that runs it', () => {
    expect(envOf('gemini-cli', 'win32').args).toEqual(server.args);
  });
});

describe('%VAR% follows the World’s platform: doctor', () => {
  const ids = (entry: Record<string, unknown>, ctx: Partial<Parameters<typeof checkEntry>[2]>) =>
    checkEntry('fs', entry, { platform: 'win32', env: WIN_ENV, isFile: () => true, ...ctx })
      .filter((f) => f.id === 'unexpanded-variable')
      .map((f) => f.cause.replace(/ is the literal.*/, ''));
  const entry = { command: 'node', args: ['C:\\srv\\fs.js', '%USERPROFILE%\\docs'], env: { DATA: '%APPDATA%\\fs' } };

  it('Claude Desktop (plain, expands nothing): env and args are literal, and the fix is ${VAR} in mcp.yaml', () => {
    expect(ids(entry, { windowsStart: 'plain' })).toEqual(['env DATA', 'argument 2']);
    const [f] = checkEntry('fs', entry, { platform: 'win32', env: WIN_ENV, isFile: () => true });
    expect(f?.fix).toBe(
      'declare the server in mcp.yaml with "${APPDATA}\\\\fs" and apply: mcpform expands it from your environment or .env',
    );
  });
  it('through cmd /c the arguments are expanded by cmd', () => {
    expect(ids({ ...entry, command: 'cmd', args: ['/c', 'node', '%USERPROFILE%\\x'] }, {})).toEqual(['env DATA']);
  });
  it('a client that expands env, and a resolving one (its shell may expand args): not reported there', () => {
    expect(ids(entry, { windowsStart: 'plain', percentVariables: 'env' })).toEqual(['argument 2']);
    expect(ids(entry, { windowsStart: 'resolving', percentVariables: 'env' })).toEqual([]);
  });
  it('on macOS and Linux %VAR% is only text', () => {
    expect(ids(entry, { platform: 'linux', env: {} })).toEqual([]);
    expect(ids(entry, { platform: 'darwin', env: {} })).toEqual([]);
  });
});

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../src/doctor/checks.js';
import { specFromEntry } from '../../src/probe/specs.js';
import { guiPath, launchEnvironment } from '../../src/targets/launch-env.js';
import { runCli, sandbox, testWorld, writeJson, type Sandbox } from '../helpers.js';
import { fixture } from '../servers.js';

const SHELL = {
  PATH: '/home/me/proj/node_modules/.bin:/home/me/.nvm/versions/node/v20.1.0/bin:/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/me',
  USER: 'me',
  SHELL: '/bin/zsh',
  TERM: 'xterm',
  LOGNAME: 'me',
  AWS_SECRET_ACCESS_KEY: 'aws-shell-secret',
  BASH_FUNC_x: '() { echo evil; }',
};

describe('launchEnvironment: what each kind of client gives its servers', () => {
  it('gui on macOS: launchd PATH and the inherited variables, nothing else from the shell', () => {
    expect(launchEnvironment('gui', SHELL, 'darwin')).toEqual({
      HOME: '/home/me',
      LOGNAME: 'me',
      PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
      SHELL: '/bin/zsh',
      TERM: 'xterm',
      USER: 'me',
    });
  });
  it('gui on Linux: the desktop session PATH (no nvm, no node_modules/.bin)', () => {
    const env = launchEnvironment('gui', SHELL, 'linux');
    expect(env.PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });
  it('gui on Windows: the user + system PATH (whatever its case), Windows variables', () => {
    const env = launchEnvironment(
      'gui',
      { Path: 'C:\\Windows;C:\\Program Files\\nodejs', USERPROFILE: 'C:\\Users\\me', SystemRoot: 'C:\\Windows' },
      'win32',
    );
    expect(env).toEqual({
      PATH: 'C:\\Windows;C:\\Program Files\\nodejs',
      USERPROFILE: 'C:\\Users\\me',
      SYSTEMROOT: 'C:\\Windows',
    });
  });
  it('gui PATH can be set for a session that differs (MCPFORM_GUI_PATH)', () => {
    expect(guiPath({ MCPFORM_GUI_PATH: '/opt/homebrew/bin:/usr/bin' }, 'darwin')).toBe('/opt/homebrew/bin:/usr/bin');
  });
  it('cli: the shell as it is, minus shell functions', () => {
    const env = launchEnvironment('cli', SHELL, 'linux');
    expect(env.PATH).toBe(SHELL.PATH);
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('aws-shell-secret');
    expect(env).not.toHaveProperty('BASH_FUNC_x');
  });
  it('cli under npx/npm run: what npm added for mcpform itself is not the shell', () => {
    const env = launchEnvironment(
      'cli',
      {
        ...SHELL,
        PATH: '/p/node_modules/.bin:/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/bin',
        npm_execpath: '/usr/lib/node_modules/npm/bin/npx-cli.js',
        npm_config_cache: '/x',
        INIT_CWD: '/p',
      },
      'linux',
    );
    expect(env.PATH).toBe('/usr/bin');
    expect(Object.keys(env).filter((k) => /^npm_|INIT_CWD/.test(k))).toEqual([]);
  });
  it('the spec builder uses it, and says what to do about a shell-only command', () => {
    const sb = sandbox();
    const bin = join(sb.dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'only-in-shell'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'only-in-shell'), 0o755);
    const world = testWorld({ env: { PATH: `${bin}:/usr/bin:/bin`, HOME: '/h' } });
    const gui = specFromEntry('x', { command: 'only-in-shell' }, {}, { adapter: { launch: 'gui' }, world });
    expect(gui.launch.kind === 'stdio' && gui.launch.env.PATH).toBe(guiPath({}, 'linux'));
    expect(gui.shellHint).toContain(join(bin, 'only-in-shell'));
    expect(gui.shellHint).toMatch(/absolute path.*npx.*env\.PATH/);
    const cli = specFromEntry('x', { command: 'only-in-shell' }, {}, { adapter: { launch: 'cli' }, world });
    expect(cli.launch.kind === 'stdio' && cli.launch.env.PATH).toBe(`${bin}:/usr/bin:/bin`);
    expect(cli.shellHint).toBeUndefined();
    // An env.PATH in the entry is what the server gets.
    const own = specFromEntry(
      'x',
      { command: 'only-in-shell', env: { PATH: bin } },
      {},
      { adapter: { launch: 'gui' }, world },
    );
    expect(own.shellHint).toBeUndefined();
  });
  it('doctor checks the same PATH for a CLI client: a shell-only command is fine there', () => {
    const sb = sandbox();
    const bin = join(sb.dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'only-in-shell'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'only-in-shell'), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const ids = (launch: 'gui' | 'cli') =>
      checkEntry('x', { command: 'only-in-shell' }, { platform: 'linux', env, launch }).map((f) => f.id);
    expect(ids('gui')).toEqual(['command-not-on-client-path']);
    expect(ids('cli')).toEqual([]);
  });
});

/** A server installed in the project (npm i -D): its bin is in node_modules/.bin only. */
function localBinProject(targets: string): { sb: Sandbox; env: NodeJS.ProcessEnv; bin: string } {
  const sb = sandbox({
    'mcp.yaml': `version: 1\ntargets: ${targets}\nservers:\n  localmem:\n    command: mcp-local-tiny\n`,
  });
  const bin = sb.path('node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'mcp-local-tiny'), `#!/bin/sh\nexec node "${fixture('tiny-server.mjs')}"\n`);
  chmodSync(join(bin, 'mcp-local-tiny'), 0o755);
  return { sb, bin, env: { ...sb.env, PATH: `${bin}:${sb.env.PATH}` } };
}

describe('test, apply and doctor agree: the client PATH, not the shell one', () => {
  it('Claude Desktop (gui): test fails naming PATH and the fix, apply rolls back, doctor says the same', async () => {
    const { sb, env, bin } = localBinProject('[claude-desktop]');
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const before = readFileSync(sb.claudeConfig);
    const t = await runCli(['test'], { cwd: sb.path(''), env });
    expect(t.code, t.stdout + t.stderr).toBe(1);
    const out = t.stdout + t.stderr;
    expect(out).toContain('the PATH the client gives servers (PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin');
    expect(out).not.toContain(`PATH=${bin}`);
    expect(out).toContain(join(bin, 'mcp-local-tiny'));
    expect(out).toMatch(/absolute path.*npx.*env\.PATH/);

    const a = await runCli(['apply', '--yes'], { cwd: sb.path(''), env });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('rolled back');
    expect(a.stderr).toContain('the PATH the client gives servers');
    expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);

    const d = await runCli(['doctor', '--json'], { cwd: sb.path(''), env });
    const findings = JSON.parse(d.stdout).findings as { id: string; cause: string }[];
    expect(findings.map((f) => f.id)).toContain('command-not-on-client-path');
  });

  it('Claude Code (cli): started from the shell, the same server passes test and apply', async () => {
    const { sb, env } = localBinProject('[claude-code]');
    const t = await runCli(['test'], { cwd: sb.path(''), env });
    expect(t.code, t.stdout + t.stderr).toBe(0);
    const a = await runCli(['apply', '--yes'], { cwd: sb.path(''), env });
    expect(a.code, a.stderr).toBe(0);
  });

  it('with env.PATH set for the server, Claude Desktop finds it too', async () => {
    const { sb, env, bin } = localBinProject('[claude-desktop]');
    sb.write(
      'mcp.yaml',
      `version: 1\nservers:\n  localmem:\n    command: mcp-local-tiny\n    env: { PATH: "${bin}:/usr/bin:/bin" }\n`,
    );
    const t = await runCli(['test'], { cwd: sb.path(''), env });
    expect(t.code, t.stdout + t.stderr).toBe(0);
  });
});

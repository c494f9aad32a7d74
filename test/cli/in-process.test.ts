import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createColors } from '../../src/util/colors.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { sink } from '../../src/cli/output.js';
import add from '../../src/cli/commands/add.js';
import backups from '../../src/cli/commands/backups.js';
import clients from '../../src/cli/commands/clients.js';
import plan from '../../src/cli/commands/plan.js';
import validate from '../../src/cli/commands/validate.js';
import { ExitCode } from '../../src/errors.js';
import { createBackup } from '../../src/apply/backups.js';
import { reportError } from '../../src/cli/report-error.js';
import { writeOwnership } from '../../src/state/ownership.js';
import type { FoundClient } from '../../src/targets/discover.js';
import { sandbox, testWorld, writeJson, type Sandbox } from '../helpers.js';

/**
 * Commands called as functions, changesets-style: everything they know about the world comes
 * from the context. process.env here is the test runner's, without the sandbox's variables;
 * a command that read it anywhere would look at the wrong client file or state dir.
 */
function contextFor(sb: Sandbox, opts: Context['opts'] = {}): Context {
  return {
    opts,
    environment: opts.env,
    world: testWorld({
      env: { ...sb.env, TOKEN: 'sekret-value-42' },
      cwd: sb.path(''),
      now: () => new Date('2026-02-03T04:05:06.000Z'),
    }),
    colors: createColors(false),
  };
}

let out = '';
afterEach(() => vi.restoreAllMocks());
function captureStdout(): void {
  out = '';
  vi.spyOn(sink, 'out').mockImplementation((text: string) => {
    out += text;
  });
}

const YAML = 'version: 1\nservers:\n  memory:\n    command: npx\n    env: { API_TOKEN: "${TOKEN}" }\n';

describe('commands in-process, with an explicit context', () => {
  it('plan reads the client file, state dir and variables the context names, and its clock', async () => {
    expect(process.env.MCPFORM_CLAUDE_DESKTOP_CONFIG).toBeUndefined();
    const sb = sandbox({ 'mcp.yaml': YAML });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    captureStdout();
    await expect(plan(contextFor(sb), { detailedExitcode: true })).rejects.toEqual(new ExitCode(2));
    expect(out).toContain(`Target claude-desktop: ${sb.claudeConfig}`);
    expect(out).toContain('+ memory');
    expect(out).not.toContain('sekret-value-42');

    captureStdout();
    await plan(contextFor(sb), { out: sb.path('plan.json') });
    const saved = JSON.parse(readFileSync(sb.path('plan.json'), 'utf8')) as { createdAt: string };
    expect(saved.createdAt).toBe('2026-02-03T04:05:06.000Z');
  });

  it('validate finds mcp.yaml from the context cwd and reports with --json', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    captureStdout();
    await validate(contextFor(sb, { json: true }));
    expect(JSON.parse(out)).toMatchObject({ formatVersion: 1, valid: true, servers: 1 });
  });
});

describe('add, in-process', () => {
  const ENVS = 'version: 1\nservers:\n  a: { command: echo }\nenvironments:\n  dev: { servers: [a] }\n';
  it.each([
    ['no -e, no MCPFORM_ENV: default (every server), no list edited', {}, {}, '  dev: { servers: [a] }\n'],
    ['MCPFORM_ENV=dev: into dev, as plan would use', { MCPFORM_ENV: 'dev' }, {}, '  dev: { servers: [a, b] }\n'],
    ['-e dev wins over MCPFORM_ENV', { MCPFORM_ENV: 'nope' }, { env: 'dev' }, '  dev: { servers: [a, b] }\n'],
  ])('%s', async (_what, vars, opts, devLine) => {
    const sb = sandbox({ 'mcp.yaml': ENVS });
    const ctx = contextFor(sb, opts);
    ctx.world = { ...ctx.world, env: { ...ctx.world.env, ...vars } };
    captureStdout();
    await add(ctx, 'b', ['echo', 'hi'], {});
    const text = readFileSync(sb.path('mcp.yaml'), 'utf8');
    expect(text).toContain('  b:\n    command: echo\n    args: [hi]\n');
    expect(text.endsWith(devLine)).toBe(true);
  });
});

/**
 * The World is the only way a command learns the machine: these read the state dir, the
 * client files and the clock of the World they are given, not the test runner's.
 */
describe('commands in-process follow the World they are given', () => {
  it('backups lists the backups in the World state dir', async () => {
    const sb = sandbox();
    const taken = await createBackup(
      { target: 'claude-desktop', path: sb.claudeConfig, content: null, hash: null, reason: 'test' },
      sb.world,
    );
    captureStdout();
    await backups({ ...contextFor(sb), opts: { json: true } }, {});
    expect((JSON.parse(out) as { backups: { id: string }[] }).backups.map((b) => b.id)).toEqual([taken.id]);
  });

  it("clients reads ownership from the state dir of the World's OS (macOS: Library/Application Support)", async () => {
    const sb = sandbox();
    const env = { PATH: sb.env.PATH, HOME: sb.home, MCPFORM_CURSOR_CONFIG: join(sb.home, 'cursor.json') };
    const mac = testWorld({ env, platform: 'darwin', cwd: sb.path('') });
    writeJson(env.MCPFORM_CURSOR_CONFIG, { mcpServers: { mine: { command: 'x' } } });
    await writeOwnership(
      {
        formatVersion: 2,
        target: 'cursor',
        path: env.MCPFORM_CURSOR_CONFIG,
        servers: { mine: { owner: '/p/mcp.yaml', hash: 'unknown', appliedAt: '', environment: 'default' } },
      },
      mac,
    );
    expect(existsSync(join(sb.home, 'Library', 'Application Support', 'mcpform', 'targets'))).toBe(true);
    captureStdout();
    await clients({ ...contextFor(sb), world: mac }, { json: true });
    const cursor = (JSON.parse(out) as { clients: FoundClient[] }).clients.find((c) => c.client === 'cursor');
    expect(cursor).toMatchObject({ managed: [{ by: '/p/mcp.yaml', servers: ['mine'] }], unmanaged: [] });
  });

  it("clients finds mcp.yaml through the World's MCPFORM_FILE", async () => {
    const sb = sandbox({
      'elsewhere/mcp.yaml': 'version: 1\ntargets: { cursor: { path: ./declared.json } }\nservers: {}\n',
    });
    // No MCPFORM_CURSOR_CONFIG: the declared path is where clients looks.
    const { MCPFORM_CURSOR_CONFIG: _, ...env } = sb.env;
    const world = testWorld({ env: { ...env, MCPFORM_FILE: sb.path('elsewhere/mcp.yaml') }, cwd: sb.dir });
    captureStdout();
    await clients({ ...contextFor(sb), world }, { json: true });
    const paths = (JSON.parse(out) as { clients: FoundClient[] }).clients.map((c) => c.path);
    expect(paths).toContain(sb.path('elsewhere/declared.json'));
  });

  it('plan on a Windows World resolves the client file by Windows rules', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    const { MCPFORM_CLAUDE_DESKTOP_CONFIG: _, ...env } = sb.env;
    const win = testWorld({
      // Nothing is written: the state and cache dirs are the sandbox's, the client file is only read.
      env: {
        ...env,
        USERPROFILE: 'C:\\Users\\me',
        APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
        MCPFORM_CACHE_DIR: join(sb.dir, 'cache'),
        TOKEN: 't',
      },
      platform: 'win32',
      cwd: sb.path(''),
    });
    captureStdout();
    await plan({ ...contextFor(sb), world: win }, {});
    expect(out).toContain('Target claude-desktop: C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });

  it('a command that needs a home and has none: NO_HOME, exit 1, "set HOME", no stack trace', async () => {
    const sb = sandbox({ 'mcp.yaml': YAML });
    const homeless = testWorld({
      env: { TOKEN: 't', MCPFORM_STATE_DIR: sb.stateDir },
      home: undefined,
      cwd: sb.path(''),
    });
    captureStdout();
    const err = await plan({ ...contextFor(sb), world: homeless }, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NO_HOME', message: 'no home directory: set HOME' });
    let stderr = '';
    vi.spyOn(sink, 'err').mockImplementation((text: string) => {
      stderr += text;
    });
    expect(reportError(err, { debug: false })).toBe(1);
    expect(stderr).toContain('Error: no home directory: set HOME');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

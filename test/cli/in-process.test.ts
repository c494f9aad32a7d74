import { readFileSync } from 'node:fs';
import { createColors } from '../../src/util/colors.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { sink } from '../../src/cli/output.js';
import add from '../../src/cli/commands/add.js';
import plan from '../../src/cli/commands/plan.js';
import validate from '../../src/cli/commands/validate.js';
import { ExitCode } from '../../src/errors.js';
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

import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkServer } from '../../src/probe/check-server.js';
import { runProbes } from '../../src/probe/run.js';
import { missingVariables } from '../../src/probe/shell-env.js';
import { specFromEntry } from '../../src/probe/specs.js';
import { firstFailure } from '../../src/probe/types.js';
import { runnerWorld, sandbox } from '../helpers.js';
import { fixture, SERVERS, startEverythingHttp } from '../servers.js';

const node = (name: string, args: string[], env: Record<string, string> = {}, opts = {}) =>
  specFromEntry(name, { command: 'node', args, env }, { timeoutMs: 20_000, ...opts }, { world: runnerWorld() });

/** No live process is left in the group of `pid` (zombies awaiting a reaper do not count). */
function groupGone(pid: number): boolean {
  const rows = execSync('ps -eo pid=,pgid=,stat=')
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  return !rows.some(([, pgid, stat]) => Number(pgid) === pid && !stat!.startsWith('Z'));
}

describe('health checks against real servers', () => {
  it('server-memory, server-everything and server-filesystem pass over stdio, in parallel', async () => {
    const dir = sandbox().dir;
    const results = await runProbes(
      [
        node(
          'memory',
          [SERVERS.memory],
          { MEMORY_FILE_PATH: `${dir}/memory.jsonl` },
          { expectTools: ['create_entities', 'read_graph'] },
        ),
        node(
          'everything',
          [SERVERS.everything, 'stdio'],
          {},
          {
            expectTools: ['echo'],
            call: { tool: 'echo', arguments: { message: 'hello mcpform' }, expect: 'hello mcpform' },
          },
        ),
        node('filesystem', [SERVERS.filesystem, dir], {}, { expectTools: ['read_text_file', 'list_directory'] }),
      ],
      runnerWorld(),
    );
    for (const r of results) {
      expect(r.ok, JSON.stringify(r.checks)).toBe(true);
      expect(r.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(r.lifecycle).toBe('initialize');
      expect(r.tools.length).toBeGreaterThan(3);
      expect(r.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['configuration', 'startup', 'initialize', 'tools', 'errors']),
      );
      expect(r.checks.find((c) => c.name === 'errors')!.verdict).toBe('pass');
    }
    expect(results[1]!.checks.find((c) => c.name === 'call')).toMatchObject({ verdict: 'pass' });
    expect(results[0]!.serverInfo?.name).toMatch(/memory/);
  });

  it('server-everything over streamable HTTP on loopback', async () => {
    const { url } = await startEverythingHttp('streamableHttp');
    const r = await checkServer({
      name: 'remote',
      launch: { kind: 'http', url, headers: {} },
      timeoutMs: 20_000,
      expectTools: ['echo'],
    });
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r.tools.some((t) => t.name === 'echo')).toBe(true);
    // The 2026-07-28 request that goes first costs a 2025 server one refusal, not a timeout.
    expect(r).toMatchObject({ lifecycle: 'initialize' });
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('an SSE-only server without transport: falls back from streamable HTTP to SSE', async () => {
    const { url } = await startEverythingHttp('sse');
    const r = await checkServer({ name: 'remote-sse', launch: { kind: 'http', url, headers: {} }, timeoutMs: 20_000 });
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r.checks.find((c) => c.name === 'startup')?.detail).toContain('over SSE');
    expect(r.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
  });

  it('server-everything over SSE (transport: sse)', async () => {
    const { url } = await startEverythingHttp('sse');
    const r = await checkServer({
      name: 'remote-sse',
      launch: { kind: 'http', url, headers: {}, transport: 'sse' },
      timeoutMs: 20_000,
    });
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
  });

  it('a stateless 2026-07-28 server is found through server/discover without waiting for a timeout', async () => {
    const r = await checkServer(node('stateless', [fixture('stateless-server.mjs')], {}, { timeoutMs: 20_000 }));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r).toMatchObject({
      lifecycle: 'discover',
      protocolVersion: '2026-07-28',
      serverInfo: { name: 'stateless-fixture' },
    });
    expect(r.tools.map((t) => t.name)).toEqual(['lookup']);
    expect(r.durationMs).toBeLessThan(10_000);
  });
});

describe('broken servers get the right failed check', () => {
  it.each([
    ['exits at once', 'exits-at-once.mjs', {}, 'startup', /exited with code 1/, /GITHUB_PERSONAL_ACCESS_TOKEN/],
    [
      'writes garbage to stdout',
      'garbage-stdout.mjs',
      {},
      'initialize',
      /no answer to initialize within 3 s/,
      undefined,
    ],
    [
      'never answers initialize',
      'never-answers.mjs',
      {},
      'initialize',
      /no answer to initialize within 3 s/,
      undefined,
    ],
    [
      'crashes on tools/list',
      'tiny-server.mjs',
      { CRASH_ON_TOOLS: '1' },
      'tools',
      /answered initialize, then exited with code 1 \d+ ms after start, during tools\/list/,
      undefined,
    ],
  ] as const)('%s', async (_label, file, env, check, detail, stderr) => {
    const t0 = Date.now();
    const r = await checkServer(node('broken', [fixture(file)], env, { timeoutMs: 3000 }));
    expect(r.ok).toBe(false);
    expect(firstFailure(r)).toMatchObject({ name: check, detail: expect.stringMatching(detail) });
    if (stderr) expect(r.stderrTail).toMatch(stderr);
    expect(Date.now() - t0).toBeLessThan(3000 + 4000);
  });

  it('names stdout logging', async () => {
    const r = await checkServer(node('garbage', [fixture('garbage-stdout.mjs')], {}, { timeoutMs: 2000 }));
    expect(r.checks.find((c) => c.name === 'stdout')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('writes logs to stdout'),
    });
  });

  it('a working server that also logs to stdout passes with a warning', async () => {
    const r = await checkServer(node('chatty', [fixture('tiny-server.mjs')], { LOG_TO_STDOUT: '1' }));
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.name === 'stdout')).toMatchObject({ verdict: 'warn' });
  });

  it('a command missing from the client PATH fails the configuration check', async () => {
    const r = await checkServer(
      specFromEntry('missing', { command: 'definitely-not-a-command-xyz' }, {}, { world: runnerWorld() }),
    );
    expect(firstFailure(r)).toMatchObject({
      name: 'configuration',
      detail: expect.stringContaining("'definitely-not-a-command-xyz' was not found on the PATH"),
    });
  });

  it('expectTools names the missing tool', async () => {
    const r = await checkServer(
      node('tiny', [fixture('tiny-server.mjs')], {}, { expectTools: ['ping', 'create_issue'] }),
    );
    expect(firstFailure(r)).toMatchObject({ name: 'expectTools', detail: 'missing expected tool: create_issue' });
  });

  it('follows nextCursor pages of tools/list', async () => {
    const sb = sandbox();
    const tools = Array.from({ length: 7 }, (_, i) => ({
      name: `t${i}`,
      description: `tool ${i}`,
      inputSchema: { type: 'object' },
    }));
    writeFileSync(sb.path('tools.json'), JSON.stringify(tools));
    const r = await checkServer(
      node('tiny', [fixture('tiny-server.mjs')], { TOOLS_FILE: sb.path('tools.json'), PAGE_SIZE: '3' }),
    );
    expect(r.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    expect(r.checks.find((c) => c.name === 'tools')?.detail).toBe('7 tools in 3 pages');
  });

  it('a server that only works with a variable from the shell is caught, and the variable named', async () => {
    const spec = node(
      'needs-shell',
      [fixture('tiny-server.mjs')],
      { REQUIRE_VAR: 'MCPFORM_TEST_SHELL_ONLY' },
      { timeoutMs: 10_000 },
    );
    // The shell is the World's env: the variable is in it, not in what the client passes.
    const shell = runnerWorld({ ...process.env, MCPFORM_TEST_SHELL_ONLY: 'set-in-my-shell' });
    const [r] = await runProbes([spec], shell, { diagnoseEnvironment: true });
    expect(r!.ok).toBe(false);
    expect(r!.checks.find((c) => c.name === 'environment')?.detail).toContain('${MCPFORM_TEST_SHELL_ONLY}');
  });

  it('test costs a failing server at most one more start', async () => {
    const sb = sandbox();
    const counted = (name: string, script: string, env: Record<string, string> = {}) =>
      specFromEntry(
        name,
        { command: 'sh', args: ['-c', `echo x >> "${sb.path(name)}"; exec node "${fixture(script)}"`], env },
        { timeoutMs: 10_000 },
        { world: runnerWorld() },
      );
    const starts = (name: string) => readFileSync(sb.path(name), 'utf8').trim().split('\n').length;
    {
      const [named, needsShell] = await runProbes(
        [
          counted('named', 'exits-at-once.mjs'),
          counted('shell', 'tiny-server.mjs', { REQUIRE_VAR: 'MCPFORM_TEST_SHELL_TWO' }),
        ],
        runnerWorld({ ...process.env, MCPFORM_TEST_SHELL_TWO: 'set-in-my-shell' }),
        { diagnoseEnvironment: true },
      );
      // It names what it lacks, and the shell has it not: said without a second start.
      expect(named!.checks.find((c) => c.name === 'environment')?.detail).toMatch(
        /asks for \$\{GITHUB_PERSONAL_ACCESS_TOKEN\}, set neither under env: in mcp.yaml nor in your shell/,
      );
      expect(starts('named')).toBe(1);
      expect(needsShell!.checks.find((c) => c.name === 'environment')?.detail).toContain('${MCPFORM_TEST_SHELL_TWO}');
      expect(starts('shell')).toBe(2);
    }
  });

  it('reads the variables a server says it lacks', () => {
    expect(missingVariables('Error: GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required')).toEqual([
      'GITHUB_PERSONAL_ACCESS_TOKEN',
    ]);
    expect(missingVariables('fatal: OPENAI_API_KEY is not set\nINFO_LINE ready')).toEqual(['OPENAI_API_KEY']);
    expect(missingVariables('listening on PORT_NUMBER 3000')).toEqual([]);
  });

  it('kills the whole process tree, also on timeout', async () => {
    // A shell that starts a grandchild which ignores SIGTERM and never answers.
    const spec = specFromEntry(
      'tree',
      { command: 'sh', args: ['-c', `node -e "process.on('SIGTERM',()=>{}); setInterval(()=>{},1000)" & wait`] },
      { timeoutMs: 1500 },
      { world: runnerWorld() },
    );
    const r = await checkServer(spec);
    expect(r.ok).toBe(false);
    const pid = Number(/process (\d+)/.exec(r.checks.find((c) => c.name === 'startup')!.detail)![1]);
    await new Promise((res) => setTimeout(res, 300));
    expect(groupGone(pid)).toBe(true);
  });
});

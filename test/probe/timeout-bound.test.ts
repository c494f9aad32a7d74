import { afterAll, describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers.js';
import { fixture } from '../servers.js';
import { leftover } from './leftovers.js';
import { startHostile } from '../fixtures/servers/hostile-http.mjs';

const servers: { url: string; open(): Promise<number>; close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('mcpform test keeps test.timeout as a hard bound', () => {
  it('a mix of hostile servers: exit 1 within timeout + 2 s, no process and no socket left', async () => {
    const marker = `timeout-bound-${process.pid}`;
    const urls: Record<string, string> = {};
    for (const mode of ['no-headers', 'endless-body', 'sse-open', 'invalid-headers', 'redirect-loop']) {
      const s = await startHostile(mode);
      servers.push(s);
      urls[mode] = s.url;
    }
    const stdio = (name: string, file: string, args: string[] = []) =>
      `  ${name}:\n    command: node\n    args: ${JSON.stringify([fixture(file), marker, ...args])}\n    test: { timeout: 3s }\n`;
    const url = (name: string, mode: string, transport?: string) =>
      `  ${name}:\n    url: ${urls[mode]}\n${transport ? `    transport: ${transport}\n` : ''}    test: { timeout: 3s }\n`;
    const sb = sandbox({
      'mcp.yaml': [
        'version: 1\nservers:\n',
        stdio('hung', 'never-answers.mjs'),
        stdio('strays', 'setsid-stray.mjs', ['orphan']),
        url('no-headers', 'no-headers'),
        url('endless', 'endless-body'),
        url('sse-open', 'sse-open', 'sse'),
        url('invalid', 'invalid-headers'),
        url('redirects', 'redirect-loop'),
      ].join(''),
    });
    // What node and the CLI take to start here and now (a loaded machine is slow to start a
    // process): the same command with nothing to test.
    const idle = sandbox({ 'mcp.yaml': 'version: 1\nservers: {}\n' });
    const s0 = Date.now();
    expect((await runCli(['test', '--json'], { cwd: idle.path(''), env: idle.env })).code).toBe(0);
    const startup = Date.now() - s0;
    const t0 = Date.now();
    const r = await runCli(['test', '--json'], { cwd: sb.path(''), env: sb.env, timeoutMs: 30_000 });
    const took = Date.now() - t0;
    expect(r.code, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout).results as { server: string; ok: boolean; durationMs: number }[];
    expect(results.map((x) => [x.server, x.ok])).toEqual([
      ['hung', false],
      ['strays', false],
      ['no-headers', false],
      ['endless', false],
      ['sse-open', false],
      ['invalid', false],
      ['redirects', false],
    ]);
    for (const x of results) expect(x.durationMs).toBeLessThan(3000 + 2000);
    // The contract is timeout + 2 s for the checks; the rest is the CLI starting (and a margin):
    // nothing waits after the verdicts.
    expect(took).toBeLessThan(3000 + 2000 + startup + 1500);
    expect(await leftover(marker)).toEqual([]);
    for (const s of servers) expect(await s.open()).toBe(0);
  });
});

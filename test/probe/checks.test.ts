import { describe, expect, it } from 'vitest';
import { runChecks, type CheckEvent } from '../../src/probe/checks.js';
import { specFromEntry } from '../../src/probe/specs.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { testWorld } from '../helpers.js';
import { fixture } from '../servers.js';

const world = testWorld({ env: { PATH: process.env.PATH } });
const tiny = (name: string) =>
  specFromEntry(name, { command: 'node', args: [fixture('tiny-server.mjs')] }, {}, { world });
const ghost = (name: string) => specFromEntry(name, { command: 'no-such-mcp-command-4711' }, {}, { world });

/** What a watcher heard, one line per event. */
function recorder(): { events: CheckEvent[]; lines: () => string[]; listen: (e: CheckEvent) => void } {
  const events: CheckEvent[] = [];
  return {
    events,
    listen: (e) => void events.push(e),
    lines: () =>
      events.map((e) =>
        e.type === 'checks-started'
          ? `started ${e.specs.map((s) => s.name).join(',')}`
          : e.type === 'checks-finished'
            ? `finished ${e.results.map((r) => `${r.server}:${r.ok}`).join(',')}`
            : `${e.type} ${e.index} ${e.result.server}`,
      ),
  };
}

describe('runChecks: the core runs the checks, the watcher hears of each', () => {
  it('started, one verdict per server, finished with the verdicts in the order of the specs', async () => {
    const r = recorder();
    const run = await runChecks([ghost('a'), tiny('b')], world, {}, r.listen);
    const lines = r.lines();
    expect(lines[0]).toBe('started a,b');
    expect(lines.slice(1, 3).sort()).toEqual(['check-failed 0 a', 'check-passed 1 b']);
    expect(lines[3]).toBe('finished a:false,b:true');
    expect(lines).toHaveLength(4);
    expect(run.results.map((x) => x.server)).toEqual(['a', 'b']);
  });

  it('reports the judged verdict, and returns it beside what the server did', async () => {
    const failIt = async (x: ProbeResult): Promise<ProbeResult> => ({
      ...x,
      ok: false,
      checks: [...x.checks, { name: 'fingerprint', verdict: 'fail', detail: 'changed' }],
    });
    const r = recorder();
    const run = await runChecks([tiny('b')], world, { judge: failIt }, r.listen);
    expect(r.lines()).toEqual(['started b', 'check-failed 0 b', 'finished b:false']);
    expect(run.raw[0]!.ok).toBe(true);
    expect(run.results[0]!.ok).toBe(false);
    const heard = r.events[1] as Extract<CheckEvent, { index: number }>;
    expect(heard.result).toBe(run.results[0]); // the very verdict, not a second opinion
  });

  it('a judge that throws fails the run, and the watcher still hears it finish', async () => {
    const r = recorder();
    const boom = async (): Promise<ProbeResult> => {
      throw new Error('boom');
    };
    await expect(runChecks([tiny('b')], world, { judge: boom }, r.listen)).rejects.toThrow('boom');
    expect(r.lines()).toEqual(['started b', 'finished ']);
  });

  it("the watcher's own failure when finishing a failed run does not hide the run's error", async () => {
    const listen = (e: CheckEvent) => {
      if (e.type === 'checks-finished') throw new Error('display broke');
    };
    const boom = async (): Promise<ProbeResult> => {
      throw new Error('boom');
    };
    await expect(runChecks([tiny('b')], world, { judge: boom }, listen)).rejects.toThrow('boom');
  });
});

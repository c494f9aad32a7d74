import type { CheckEvent, CheckListener } from '../probe/checks.js';
import { summaryLine } from '../probe/report.js';
import { firstFailure, type ProbeResult } from '../probe/types.js';
import { visible } from '../util/sanitize.js';
import type { World } from '../world.js';
import { guardStdout, printErr } from './output.js';

/**
 * The progress line: the verdict only. A failure's cause is printed once, by the command,
 * in its details block (or its error message), not here as well.
 */
function progressLine(r: ProbeResult): string {
  return r.ok ? summaryLine(r) : `${visible(r.server)}: FAIL (${firstFailure(r)?.name ?? 'unknown'})`;
}

/**
 * Shows the health checks a core function runs, from its events: a spinner line per server
 * on a terminal (listr2), one plain line per verdict otherwise (CI logs), nothing when
 * `quiet` (--json). Each line is the verdict the core reached, never one of its own.
 */
export function progressView(world: Pick<World, 'env'>, opts: { quiet?: boolean } = {}): CheckListener {
  let live: LiveView | undefined;
  return async (event: CheckEvent) => {
    if (opts.quiet) return;
    if (event.type === 'checks-started') {
      const interactive = Boolean(process.stderr.isTTY) && world.env.TERM !== 'dumb' && !world.env.CI;
      live = interactive && event.specs.length ? await startLive(event.specs.map((s) => s.name)) : undefined;
    } else if (event.type === 'checks-finished') {
      await live?.finish();
      live = undefined;
    } else if (live) live.settle(event.index, event.result);
    else printErr(`  ${event.result.ok ? '✓' : '✗'} ${progressLine(event.result)}`);
  };
}

interface LiveView {
  settle(index: number, result: ProbeResult): void;
  finish(): Promise<void>;
}

/** listr2's task list: each task only waits for its server's verdict. */
async function startLive(names: readonly string[]): Promise<LiveView> {
  const verdicts = names.map(() => {
    let resolve!: (r: ProbeResult | undefined) => void;
    const promise = new Promise<ProbeResult | undefined>((r) => (resolve = r));
    return { promise, resolve };
  });
  guardStdout();
  const { Listr } = await import('listr2');
  const tasks = new Listr(
    names.map((name, i) => ({
      title: `${name}: checking`,
      task: async (_: unknown, task: { title: string }) => {
        const result = await verdicts[i]!.promise;
        // No verdict: the run stopped (an error, a signal) before this server's check ended.
        task.title = result ? progressLine(result) : `${visible(name)}: not checked`;
        if (!result?.ok) throw new Error(task.title);
      },
    })),
    // No signal listener of its own: listr2's exits at once, cutting apply's rollback short.
    { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: true } },
  );
  const running = tasks.run().catch(() => undefined);
  return {
    settle: (i, result) => verdicts[i]!.resolve(result),
    finish: async () => {
      for (const v of verdicts) v.resolve(undefined); // settled ones keep their verdict
      await running;
    },
  };
}

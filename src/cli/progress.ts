import { runProbes } from '../probe/run.js';
import { summaryLine } from '../probe/report.js';
import { firstFailure, type ProbeResult, type ProbeSpec } from '../probe/types.js';
import { visible } from '../util/mask-terminal.js';
import type { World } from '../world.js';
import { guardStdout, printErr } from './output.js';

export interface ProgressOptions {
  /** No output (for --json). */
  quiet?: boolean;
  diagnose?: boolean;
  /**
   * The final verdict of one result (test: the rug-pull comparison with mcp.lock), decided
   * before its progress line is printed, so the line and the table never disagree.
   */
  judge?: (result: ProbeResult) => Promise<ProbeResult>;
  /** Like `judge`, but for the progress line only (apply decides its verdict later itself). */
  display?: (result: ProbeResult) => Promise<ProbeResult>;
}

/**
 * The progress line: the verdict only. A failure's cause is printed once, by the command,
 * in its details block (or its error message), not here as well.
 */
function progressLine(r: ProbeResult): string {
  return r.ok ? summaryLine(r) : `${visible(r.server)}: FAIL (${firstFailure(r)?.name ?? 'unknown'})`;
}

/**
 * Runs the health checks with live feedback: a spinner line per server on a TTY (listr2),
 * one plain line per verdict otherwise (CI logs). Quiet when `quiet` (for --json).
 */
export async function runWithProgress(
  specs: readonly ProbeSpec[],
  world: Pick<World, 'env'>,
  opts: ProgressOptions = {},
): Promise<ProbeResult[]> {
  const judge = opts.judge ?? (async (r: ProbeResult) => r);
  const display = opts.display ?? (async (r: ProbeResult) => r);
  const interactive = Boolean(process.stderr.isTTY) && !opts.quiet && world.env.TERM !== 'dumb' && !world.env.CI;
  const judged: Promise<ProbeResult>[] = new Array(specs.length);
  const settle = (r: ProbeResult, i: number, then: (shown: ProbeResult) => void) => {
    judged[i] = judge(r).then(async (j) => (then(await display(j)), j));
    judged[i].catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    return judged[i];
  };
  if (!interactive) {
    await runProbes(specs, world, {
      diagnoseEnvironment: opts.diagnose,
      onResult: (r, i) =>
        void settle(r, i, (j) => {
          if (!opts.quiet) printErr(`  ${j.ok ? '✓' : '✗'} ${progressLine(j)}`);
        }),
    });
    return Promise.all(judged);
  }
  // The checks run on their own; each listr task only waits for its server's verdict.
  const verdicts = specs.map(() => {
    let resolve!: (r: ProbeResult | Promise<ProbeResult>) => void;
    const promise = new Promise<ProbeResult>((r) => (resolve = r));
    return { promise, resolve };
  });
  const running = runProbes(specs, world, {
    diagnoseEnvironment: opts.diagnose,
    onResult: (r, i) =>
      void settle(r, i, (shown) => verdicts[i]!.resolve(shown)).catch((err: unknown) =>
        verdicts[i]!.resolve(Promise.reject(err as Error)),
      ),
  });
  guardStdout();
  const { Listr } = await import('listr2');
  const tasks = new Listr(
    specs.map((spec, i) => ({
      title: `${spec.name}: checking`,
      task: async (_: unknown, task: { title: string }) => {
        const result = await verdicts[i]!.promise;
        task.title = progressLine(result);
        if (!result.ok) throw new Error(task.title);
      },
    })),
    // No signal listener of its own: listr2's exits at once, cutting apply's rollback short.
    { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: true } },
  );
  await tasks.run().catch(() => undefined);
  await running;
  return Promise.all(judged);
}

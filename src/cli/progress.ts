import { runProbes } from '../probe/run.js';
import { summaryLine } from '../probe/report.js';
import type { ProbeResult, ProbeSpec } from '../probe/types.js';
import { printErr } from './output.js';

/**
 * Runs the health checks with live feedback: a spinner line per server on a TTY (listr2),
 * one plain line per verdict otherwise (CI logs). Quiet when `quiet` (for --json).
 */
export async function runWithProgress(
  specs: readonly ProbeSpec[],
  opts: { quiet?: boolean; diagnose?: boolean } = {},
): Promise<ProbeResult[]> {
  const interactive = Boolean(process.stderr.isTTY) && !opts.quiet && process.env.TERM !== 'dumb' && !process.env.CI;
  if (!interactive) {
    return runProbes(specs, {
      diagnoseEnvironment: opts.diagnose,
      onResult: opts.quiet ? undefined : (r) => printErr(`  ${r.ok ? '✓' : '✗'} ${summaryLine(r)}`),
    });
  }
  // The checks run on their own; each listr task only waits for its server's verdict.
  const verdicts = specs.map(() => {
    let resolve!: (r: ProbeResult) => void;
    const promise = new Promise<ProbeResult>((r) => (resolve = r));
    return { promise, resolve };
  });
  const running = runProbes(specs, { diagnoseEnvironment: opts.diagnose, onResult: (r, i) => verdicts[i]!.resolve(r) });
  const { Listr } = await import('listr2');
  const tasks = new Listr(
    specs.map((spec, i) => ({
      title: `${spec.name}: checking`,
      task: async (_: unknown, task: { title: string }) => {
        const result = await verdicts[i]!.promise;
        task.title = summaryLine(result);
        if (!result.ok) throw new Error(task.title);
      },
    })),
    // No signal listener of its own: listr2's exits at once, cutting apply's rollback short.
    { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseErrors: true } },
  );
  await tasks.run().catch(() => undefined);
  return running;
}

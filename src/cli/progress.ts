import { probe, runProbes } from '../probe/run.js';
import { summaryLine } from '../probe/report.js';
import type { ProbeResult, ProbeSpec } from '../probe/types.js';
import { printErr } from './output.js';

/**
 * Runs the health checks with live feedback: a spinner line per server on a TTY (listr2),
 * one plain line per verdict otherwise (CI logs). Quiet when `quiet` (for --json).
 */
export async function runWithProgress(specs: readonly ProbeSpec[], opts: { quiet?: boolean; diagnose?: boolean } = {}): Promise<ProbeResult[]> {
  const interactive = Boolean(process.stderr.isTTY) && !opts.quiet && process.env.TERM !== 'dumb' && !process.env.CI;
  if (!interactive) {
    return runProbes(specs, { diagnoseEnvironment: opts.diagnose, onResult: opts.quiet ? undefined : (r) => printErr(`  ${r.ok ? '✓' : '✗'} ${summaryLine(r)}`) });
  }
  const { Listr } = await import('listr2');
  const results: ProbeResult[] = new Array(specs.length);
  const { availableParallelism } = await import('node:os');
  const tasks = new Listr(
    specs.map((spec, i) => ({
      title: `${spec.name}: checking`,
      task: async (_: unknown, task: { title: string }) => {
        results[i] = await probe(spec, opts.diagnose);
        task.title = summaryLine(results[i]!);
        if (!results[i]!.ok) throw new Error(task.title);
      },
    })),
    { concurrent: Math.max(4, availableParallelism() * 4), exitOnError: false, rendererOptions: { collapseErrors: true }, fallbackRendererCondition: false },
  );
  await tasks.run().catch(() => undefined);
  return results;
}

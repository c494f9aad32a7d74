import { prepareServer, type PreparedServer } from './prepare.js';
import type { World } from '../world.js';
import { firstFailure, type ProbeResult, type ProbeSpec } from './types.js';

export interface RunOptions {
  /** How many servers run at once (MCPFORM_TEST_CONCURRENCY, else 4x the cores, at least 4). */
  concurrency?: number;
  onResult?: (result: ProbeResult, index: number) => void;
  /**
   * On a start-up failure, find out whether a shell variable would have fixed it: with one
   * more start, within the server's own timeout (`true`, for test), or by bisecting down to
   * the variable (`'bisect'`, for doctor: several starts).
   */
  diagnoseEnvironment?: boolean | 'bisect';
}

/**
 * Checks every server in parallel under a limit; results in the order given. The World's env
 * is the user's shell: MCPFORM_TEST_CONCURRENCY, and the variables a diagnosis tries.
 *
 * Server start-up is CPU-bound and these machines have few cores, so the order matters:
 * the first batch of processes is started before the MCP SDK is even loaded, verdicts are
 * reported as soon as they are known, and processes are stopped in the background (all
 * of them are gone before this returns).
 */
export async function runProbes(
  specs: readonly ProbeSpec[],
  world: Pick<World, 'env'>,
  opts: RunOptions = {},
): Promise<ProbeResult[]> {
  const { availableParallelism } = await import('node:os');
  const limit = Math.max(
    1,
    opts.concurrency ?? (Number(world.env.MCPFORM_TEST_CONCURRENCY) || Math.max(4, availableParallelism() * 4)),
  );
  const prepared = new Map<number, PreparedServer>();
  for (let i = 0; i < Math.min(limit, specs.length); i++) prepared.set(i, prepareServer(specs[i]!));

  const { checkServer } = await import('./check-server.js');
  const results: ProbeResult[] = new Array(specs.length);
  const stops: Promise<void>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      let result = await checkServer(spec, {
        prepared: prepared.get(i) ?? prepareServer(spec),
        stopInBackground: (p) => stops.push(p),
      });
      prepared.delete(i);
      if (opts.diagnoseEnvironment) result = await diagnose(spec, result, opts.diagnoseEnvironment === 'bisect', world);
      results[i] = result;
      opts.onResult?.(result, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, specs.length) }, worker));
  await Promise.all(stops);
  return results;
}

/** Below this, a second start cannot tell anything within the server's timeout. */
const MIN_DIAGNOSE_MS = 1000;

async function diagnose(
  spec: ProbeSpec,
  result: ProbeResult,
  bisect: boolean,
  world: Pick<World, 'env'>,
): Promise<ProbeResult> {
  const failed = firstFailure(result);
  if (!failed || !['startup', 'initialize', 'tools'].includes(failed.name)) return result;
  // test.timeout bounds the server's whole check, the second start included.
  const left = spec.timeoutMs - result.durationMs;
  if (!bisect && left < MIN_DIAGNOSE_MS) return result;
  const { diagnoseShellEnvironment } = await import('./shell-env.js');
  // A secret-looking shell variable is tried only if the server's own output names it.
  const output = [result.stderrTail ?? '', ...result.checks.map((c) => c.detail)].join('\n');
  const finding = await diagnoseShellEnvironment(spec, world.env, output, {
    bisect,
    timeoutMs: bisect ? undefined : left,
  });
  return finding ? { ...result, checks: [...result.checks, finding], hint: finding.detail } : result;
}

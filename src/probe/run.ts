import { checkServer } from './check-server.js';
import { diagnoseShellEnvironment } from './shell-env.js';
import { firstFailure, type ProbeResult, type ProbeSpec } from './types.js';

export interface RunOptions {
  /** How many servers start at once. Start-up is CPU-bound, so about 2x the cores. */
  concurrency?: number;
  onStart?: (spec: ProbeSpec) => void;
  onResult?: (result: ProbeResult) => void;
  signal?: AbortSignal;
  /** On a start-up failure, find out whether a shell variable would have fixed it. */
  diagnoseEnvironment?: boolean;
}

/** One server: the checks, then (on a start-up failure) the shell-environment diagnosis. */
export async function probe(spec: ProbeSpec, diagnose = false): Promise<ProbeResult> {
  const result = await checkServer(spec);
  const failed = firstFailure(result);
  if (!diagnose || !failed || !['startup', 'initialize', 'tools'].includes(failed.name)) return result;
  const finding = await diagnoseShellEnvironment(spec);
  return finding ? { ...result, checks: [...result.checks, finding], hint: finding.detail } : result;
}

/** Checks every server, in parallel under a limit; results in the order given. */
export async function runProbes(specs: readonly ProbeSpec[], opts: RunOptions = {}): Promise<ProbeResult[]> {
  const { availableParallelism } = await import('node:os');
  const limit = Math.max(1, opts.concurrency ?? Math.max(4, availableParallelism() * 4));
  const results: ProbeResult[] = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length && !opts.signal?.aborted) {
      const i = next++;
      const spec = specs[i]!;
      opts.onStart?.(spec);
      results[i] = await probe(spec, opts.diagnoseEnvironment);
      opts.onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, specs.length) }, worker));
  return results;
}

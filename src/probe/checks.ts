import { runProbes } from './run.js';
import type { World } from '../world.js';
import type { ProbeResult, ProbeSpec } from './types.js';

/**
 * What a run of health checks tells whoever watches it (the terminal's progress lines, a
 * test), as Terraform's hooks do: the core runs the checks, the watcher only hears of them.
 */
export type CheckEvent =
  | { readonly type: 'checks-started'; readonly specs: readonly ProbeSpec[] }
  /** One server's final verdict (`result`, as judged), in the order they finish. */
  | { readonly type: 'check-passed' | 'check-failed'; readonly index: number; readonly result: ProbeResult }
  /** Every verdict is in (or the run failed): `results` are those reached, in the order of the specs. */
  | { readonly type: 'checks-finished'; readonly results: readonly ProbeResult[] };

/** Hears the events of a run; the run waits for it (a progress display finishing its lines). */
export type CheckListener = (event: CheckEvent) => void | Promise<void>;

export interface CheckOptions {
  /** Find the shell variable a start-up failure lacks (./run.ts `diagnoseEnvironment`). */
  diagnose?: boolean | 'bisect';
  /**
   * The final verdict on one result (the rug-pull comparison with mcp.lock), made before it
   * is reported: what the watcher hears is what the caller decides on.
   */
  judge?: (result: ProbeResult) => Promise<ProbeResult>;
}

export interface ChecksRun {
  /** The verdicts, as judged, in the order of the specs. */
  results: ProbeResult[];
  /** What each server did, before the judge (in the order of the specs). */
  raw: ProbeResult[];
}

/** Runs the health checks of `specs` in parallel, judging each result once and reporting it to `listen`. */
export async function runChecks(
  specs: readonly ProbeSpec[],
  world: Pick<World, 'env'>,
  opts: CheckOptions,
  listen: CheckListener = () => undefined,
): Promise<ChecksRun> {
  const judge = opts.judge ?? (async (r: ProbeResult) => r);
  const judged: Promise<ProbeResult>[] = new Array(specs.length);
  const reached: (ProbeResult | undefined)[] = new Array(specs.length);
  let failed = false;
  try {
    await listen({ type: 'checks-started', specs });
    const raw = await runProbes(specs, world, {
      diagnoseEnvironment: opts.diagnose,
      onResult: (r, i) => {
        judged[i] = judge(r).then(async (verdict) => {
          reached[i] = verdict;
          await listen({ type: verdict.ok ? 'check-passed' : 'check-failed', index: i, result: verdict });
          return verdict;
        });
        judged[i].catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      },
    });
    return { results: await Promise.all(judged), raw };
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // The watcher finishes its display even when the run failed; its own error then matters less.
    const results = reached.filter((r): r is ProbeResult => r !== undefined);
    const finished = (async () => listen({ type: 'checks-finished', results }))();
    if (failed) await finished.catch(() => undefined);
    else await finished;
  }
}

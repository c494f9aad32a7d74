import type { DesiredState } from '../config/types.js';
import { readOwnership, type Ownership } from '../state/ownership.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { LiveConfig, Pins, RenderedEntry, TargetAdapter } from '../targets/types.js';
import { McpformError } from '../errors.js';
import { irregularFileKind } from '../util/fs.js';
import { computePlan } from './compute.js';
import type { Plan } from './types.js';

export interface TargetPlan {
  adapter: TargetAdapter;
  live: LiveConfig;
  ownership: Ownership;
  plan: Plan;
}

export interface BuildOptions {
  target?: string;
  prune?: boolean;
  pins?: Pins;
  env?: NodeJS.ProcessEnv;
}

/** read live + ownership for each target, then the pure computePlan. */
export function buildPlans(state: DesiredState, opts: BuildOptions = {}): TargetPlan[] {
  return selectTargets(state.targets, opts.target).map((spec) => {
    const adapter = adapterFor(spec.name);
    const path = adapter.resolvePath(spec, opts.env ?? process.env);
    // Until every adapter reads through readRegularFile: a FIFO here would be waited on forever.
    const kind = irregularFileKind(path);
    if (kind)
      throw new McpformError('INVALID_LIVE_CONFIG', `${path} is ${kind}, not a config file; nothing was changed`, {
        hint: `point ${adapter.name} at its real config file (targets.${adapter.name}.path in mcp.yaml)`,
      });
    const live = adapter.read(path);
    const ownership = readOwnership(adapter.name, path, opts.env);
    const desired = new Map<string, RenderedEntry>();
    for (const server of state.servers) desired.set(server.name, adapter.render(server, opts.pins ?? new Map()));
    const plan = computePlan({
      target: { name: adapter.name, path, baseHash: live.hash, exists: live.exists },
      environment: state.environment,
      desired,
      live: live.entries,
      owned: ownership.servers,
      managedFields: adapter.managedFields,
      prune: opts.prune,
    });
    return { adapter, live, ownership, plan };
  });
}

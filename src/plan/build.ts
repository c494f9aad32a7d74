import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { readOwnership, type Ownership } from '../state/ownership.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import type { LiveConfig, Pins, RenderedEntry, TargetAdapter } from '../targets/types.js';
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
  const plans = selectTargets(state.targets, opts.target).map((spec) => {
    const adapter = adapterFor(spec.name);
    const path = adapter.resolvePath(spec, opts.env ?? process.env);
    const live = adapter.read(path, spec);
    const ownership = readOwnership(adapter.name, path, opts.env, live.serversPath);
    const desired = new Map<string, RenderedEntry>();
    for (const server of state.servers) desired.set(server.name, adapter.render(server, opts.pins ?? new Map(), spec));
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
  refuseSharedServerMaps(plans);
  return plans;
}

/** Two targets may share a file (different server maps), never one server map. */
function refuseSharedServerMaps(plans: readonly TargetPlan[]): void {
  const seen = new Map<string, string>();
  for (const { adapter, live } of plans) {
    const key = `${live.path}\0${JSON.stringify(live.serversPath ?? [])}`;
    const other = seen.get(key);
    if (other) {
      throw new McpformError(
        'INVALID_CONFIG',
        `targets ${other} and ${adapter.name} both manage "${(live.serversPath ?? []).join('.')}" in ${live.path}; nothing was changed`,
        { hint: "give one of them another 'path' or 'scope' in mcp.yaml" },
      );
    }
    seen.set(key, adapter.name);
  }
}

import type { DesiredState, TargetSpec } from '../config/types.js';
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
  return selectTargets(state.targets, opts.target).map((spec) => {
    const adapter = adapterFor(spec.name);
    const path = adapter.resolvePath(spec, opts.env ?? process.env);
    const live = adapter.read(path, spec);
    const ownership = readOwnership(adapter.name, path, opts.env);
    const desired = new Map<string, RenderedEntry>();
    for (const server of serversFor(state, spec))
      desired.set(server.name, adapter.render(server, opts.pins ?? new Map(), spec));
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

/** The environment's servers this target gets: all, or its `servers:` list. */
export function serversFor(state: DesiredState, spec: TargetSpec): DesiredState['servers'] {
  return spec.servers ? state.servers.filter((s) => spec.servers!.includes(s.name)) : state.servers;
}

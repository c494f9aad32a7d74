import { existsSync, realpathSync } from 'node:fs';
import type { DesiredState, TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { readHashKey } from '../state/hash-key.js';
import { visible } from '../util/sanitize.js';
import { readOwnership, type Ownership } from '../state/ownership.js';
import { adapterFor, selectTargets } from '../targets/index.js';
import { isSharedScope, renderShared, sharedAdapter, type Reader } from './shared-file.js';
import type { LiveConfig, Pins, RenderedEntry, TargetAdapter } from '../targets/types.js';
import { irregularFileKind } from '../util/fs.js';
import { realPathOf } from '../util/real-path.js';
import { computePlan } from './compute.js';
import type { World } from '../world.js';
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
}

/**
 * read live + ownership for each target, then the pure computePlan. The World says where
 * the client files and the state dir are (its env, platform and home).
 */
export function buildPlans(state: DesiredState, world: World, opts: BuildOptions = {}): TargetPlan[] {
  const project = projectId(state.file);
  const plans = readerGroups(state, opts.target, world).map((readers) => {
    const shared = readers.length > 1;
    const adapter = shared ? sharedAdapter(readers) : readers[0]!.adapter;
    const spec = readers[0]!.spec;
    const path = adapter.resolvePath(spec, world);
    // Until every adapter reads through readRegularFile: a FIFO here would be waited on forever.
    const kind = irregularFileKind(path);
    if (kind)
      throw new McpformError('INVALID_LIVE_CONFIG', `${path} is ${kind}, not a config file; nothing was changed`, {
        hint: `point ${adapter.name} at its real config file (targets.${adapter.name}.path in mcp.yaml)`,
      });
    const live = adapter.read(path, spec);
    const ownership = readOwnership(adapter.name, path, world, live.serversPath);
    const desired = new Map<string, RenderedEntry>();
    const pins = opts.pins ?? new Map();
    for (const server of serversForAll(state, readers)) {
      if (live.builtIn?.includes(server.name))
        throw new McpformError(
          'UNSUPPORTED_BY_CLIENT',
          `server '${server.name}' has the name of ${adapter.name}'s built-in extension in ${path}; writing it would replace that extension`,
          { hint: `rename the server in mcp.yaml (for example '${server.name}-mcp')` },
        );
      const current = Object.hasOwn(live.entries, server.name) ? live.entries[server.name] : undefined;
      desired.set(
        server.name,
        shared
          ? renderShared(readers, server, pins, world.platform, current, adapter.managedFields, path)
          : adapter.render(server, pins, spec, world.platform),
      );
    }
    const owners = new Set(Object.values(ownership.servers).map((e) => e.owner));
    const goneOwners = new Set(
      [...owners].filter((o): o is string => typeof o === 'string' && o !== project && !existsSync(o)),
    );
    const plan = computePlan({
      // A getter: the file is hashed only if the plan is saved or applied (readConfigFile).
      target: {
        name: adapter.name,
        path,
        get baseHash() {
          return live.hash;
        },
        exists: live.exists,
        ...(shared && { readers: readers.map((r) => r.adapter.name) }),
      },
      environment: state.environment,
      desired,
      live: live.entries,
      owned: ownership.servers,
      project,
      goneOwners,
      hashKey: readHashKey(world),
      managedFields: adapter.managedFields,
      prune: opts.prune,
    });
    refuseConflicts(plan, project);
    return { adapter, live, ownership, plan };
  });
  refuseSharedServerMaps(plans);
  return plans;
}

/**
 * The targets to plan, each group one file: a target alone, or every declared target whose
 * scope is a file other clients read too (`sharedScopes`, `.mcp.json`) and that resolves to
 * the same file, planned together even when --target names only one of them.
 */
function readerGroups(state: DesiredState, only: string | undefined, world: World): Reader[][] {
  const groups: Reader[][] = [];
  const seen = new Set<TargetSpec>();
  for (const spec of selectTargets(state.targets, only)) {
    if (seen.has(spec)) continue;
    const adapter = adapterFor(spec.name);
    if (!isSharedScope(adapter, spec)) {
      groups.push([{ adapter, spec }]);
      continue;
    }
    const path = adapter.resolvePath(spec, world);
    const group = state.targets
      .map((s) => ({ adapter: adapterFor(s.name), spec: s }))
      .filter(
        (r) =>
          isSharedScope(r.adapter, r.spec) && realPathOf(r.adapter.resolvePath(r.spec, world)) === realPathOf(path),
      );
    for (const r of group) seen.add(r.spec);
    groups.push(group);
  }
  return groups;
}

/**
 * The servers any of the readers declares (their `servers:` lists), in mcp.yaml order: one
 * file cannot hide an entry from a reader, so each is written for all of them to read.
 */
function serversForAll(state: DesiredState, readers: readonly Reader[]): DesiredState['servers'] {
  return state.servers.filter((s) => readers.some((r) => !r.spec.servers || r.spec.servers.includes(s.name)));
}

/** Two targets may share a file (different server maps), never one server map — however the file is reached. */
function refuseSharedServerMaps(plans: readonly TargetPlan[]): void {
  const seen = new Map<string, string>();
  for (const { adapter, live } of plans) {
    const key = `${realPathOf(live.path)}\0${JSON.stringify(live.serversPath ?? [])}`;
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

/** The environment's servers this target gets: all, or its `servers:` list. */
export function serversFor(state: DesiredState, spec: TargetSpec): DesiredState['servers'] {
  return spec.servers ? state.servers.filter((s) => spec.servers!.includes(s.name)) : state.servers;
}

/**
 * Which mcp.yaml owns an entry: its real path, so a dotfiles repo reached through a symlink
 * is still one project.
 */
export function projectId(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** One entry, one owner: a name another project's mcp.yaml manages in this file is a conflict. */
function refuseConflicts(plan: TargetPlan['plan'], file: string): void {
  const conflicts = plan.conflicts ?? [];
  if (!conflicts.length) return;
  const list = conflicts.map((c) => `'${c.server}' (managed by ${visible(c.owner)})`).join(', ');
  const first = conflicts[0]!;
  throw new McpformError(
    'OWNERSHIP_CONFLICT',
    `${file} declares ${conflicts.length === 1 ? 'a server' : 'servers'} that another mcp.yaml manages in ${plan.target.path}: ${list}; nothing was changed`,
    {
      hint: `an entry has one owner: rename the server in one of the two files (the name is the entry's name in the client file), or remove it from ${visible(first.owner)} and run 'mcpform apply' there first`,
    },
  );
}

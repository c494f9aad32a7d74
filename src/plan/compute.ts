import { entryMatches } from '../state/ownership.js';
import type { ClientEntry, RenderedEntry } from '../targets/types.js';
import { diffEntries, entryChange } from './diff.js';
import type { Change, Plan } from './types.js';

export interface PlanInput {
  readonly target: Plan['target'];
  readonly environment: string;
  /** Rendered entries for the declared servers, in mcp.yaml order. */
  readonly desired: ReadonlyMap<string, RenderedEntry>;
  readonly live: Readonly<Record<string, ClientEntry>>;
  /**
   * The ownership record: server name -> hash of what mcpform last wrote, the mcp.yaml that
   * owns it (undefined: this one; null: not recorded, a format-1 record) and the pointers of
   * the values that were secret then.
   */
  readonly owned: Readonly<Record<string, OwnedRef>>;
  /** The mcp.yaml this plan is for (absolute path): entries it owns are the ones it changes. */
  readonly project?: string;
  /** Owners whose mcp.yaml no longer exists: their entries are nobody's (like `owner: null`). */
  readonly goneOwners?: ReadonlySet<string>;
  /** The state dir's key for entry hashes (./state/hash-key.ts); absent before the first apply. */
  readonly hashKey?: Buffer;
  /** Entry fields the target's adapter manages; the rest of an entry is the user's. */
  readonly managedFields: readonly string[];
  readonly prune?: boolean;
}

export interface OwnedRef {
  readonly hash: string;
  readonly owner?: string | null;
  readonly sensitive?: readonly string[];
}

/** Whose an owned entry is, seen from `project`: its own, another project's, or nobody's. */
function ownerKind(input: PlanInput, ref: OwnedRef | undefined): 'none' | 'self' | 'other' | 'unclaimed' {
  if (!ref) return 'none';
  if (ref.owner === undefined || ref.owner === input.project) return 'self';
  if (ref.owner === null || input.goneOwners?.has(ref.owner)) return 'unclaimed';
  return 'other';
}

/**
 * desired x live x owned -> Plan. Pure: no I/O, no clock, deterministic order (declared
 * servers first, in mcp.yaml order, then deletions in file order).
 */
export function computePlan(input: PlanInput): Plan {
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const unmanaged: string[] = [];
  const unclaimed: string[] = [];
  const forgotten: string[] = [];
  const adoptions: string[] = [];
  const managedElsewhere: { server: string; owner: string }[] = [];
  const conflicts: { server: string; owner: string }[] = [];
  const sensitiveFields: Record<string, string[]> = {};
  const refOf = (name: string) => (Object.hasOwn(input.owned, name) ? input.owned[name] : undefined);
  const drifted = (live: ClientEntry, ref: OwnedRef) => !entryMatches(live, ref.hash, input.hashKey);

  for (const [name, rendered] of input.desired) {
    const live = Object.hasOwn(input.live, name) ? input.live[name] : undefined;
    const ref = refOf(name);
    const kind = ownerKind(input, ref);
    if (kind === 'other') {
      // Two projects declare one name: neither may silently take the other's entry.
      conflicts.push({ server: name, owner: ref!.owner! });
      continue;
    }
    Object.defineProperty(sensitiveFields, name, {
      value: [...rendered.sensitive],
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const sensitive = [...rendered.sensitive];
    if (!live) {
      const after = { ...rendered.entry };
      changes.push({
        server: name,
        action: 'create',
        after,
        sensitive,
        fields: diffEntries(undefined, after, rendered.sensitive),
        drift: false,
      });
      continue;
    }
    // What mcpform wrote as a secret stays masked, even if mcp.yaml no longer calls it one.
    const masked = new Set([...rendered.sensitive, ...(kind === 'none' ? [] : (ref!.sensitive ?? []))]);
    const { after, fields } = entryChange(live, rendered.entry, input.managedFields, masked);
    if (kind === 'none' && fields.length === 0) adoptions.push(name);
    else if (kind === 'none') {
      changes.push({ server: name, action: 'adopt', before: live, after, sensitive, fields, drift: false });
    } else if (fields.length) {
      changes.push({
        server: name,
        action: 'update',
        before: live,
        after,
        sensitive,
        fields,
        drift: drifted(live, ref!),
      });
    } else if (kind === 'unclaimed')
      adoptions.push(name); // unchanged; apply records this project as owner
    else unchanged.push(name);
  }

  for (const [name, live] of Object.entries(input.live)) {
    if (input.desired.has(name)) continue;
    const ref = refOf(name);
    const kind = ownerKind(input, ref);
    if (kind === 'other') {
      managedElsewhere.push({ server: name, owner: ref!.owner! }); // never ours to change, --prune or not
    } else if (kind === 'self' || input.prune) {
      changes.push({
        server: name,
        action: 'delete',
        before: live,
        sensitive: [],
        fields: [],
        drift: kind === 'self' && drifted(live, ref!),
      });
    } else {
      unmanaged.push(name);
      if (kind === 'unclaimed') unclaimed.push(name);
    }
  }
  for (const name of Object.keys(input.owned)) {
    const kind = ownerKind(input, refOf(name));
    if ((kind === 'self' || kind === 'unclaimed') && !Object.hasOwn(input.live, name) && !input.desired.has(name))
      forgotten.push(name);
  }

  const ownedLive = Object.keys(input.owned).filter(
    (n) => Object.hasOwn(input.live, n) && ownerKind(input, refOf(n)) === 'self',
  );
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  return {
    target: input.target,
    environment: input.environment,
    ...(input.project === undefined ? {} : { project: input.project }),
    changes,
    unchanged,
    adoptions,
    unmanaged,
    unclaimed,
    forgotten,
    managedElsewhere,
    conflicts,
    sensitiveFields,
    removesEverything: input.desired.size === 0 && ownedLive.length > 0,
    // An adoption changes who owns the entry (and maybe its fields): it counts as a change.
    summary: { add: count('create'), change: count('update') + count('adopt'), remove: count('delete') },
  };
}

/** The server map after the plan: what `apply` writes. Pure, so property tests can replay it. */
export function applyPlanToEntries(
  live: Readonly<Record<string, ClientEntry>>,
  plan: Plan,
): Record<string, ClientEntry> {
  const out: Record<string, ClientEntry> = {};
  const byName = new Map(plan.changes.map((c) => [c.server, c]));
  for (const [name, entry] of Object.entries(live)) {
    const c = byName.get(name);
    if (c?.action === 'delete') continue;
    Object.defineProperty(out, name, {
      value: c?.after ?? entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  for (const c of plan.changes) {
    if (c.action === 'create')
      Object.defineProperty(out, c.server, { value: c.after, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

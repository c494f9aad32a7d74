import type { Change, Plan } from '../plan/types.js';
import type { Ownership } from '../state/ownership.js';

/** An owned entry that is not as mcpform left it: gone from the file, or edited there. */
export interface Drift {
  readonly server: string;
  readonly kind: 'missing' | 'changed';
}

/** One target's plan, split the reconciler's way. */
export interface DriftReport {
  /** Owned entries a client (or a person) removed or changed: what healing puts back. */
  readonly drift: readonly Drift[];
  /**
   * Changes mcp.yaml asks for that are not drift (new servers, edits not yet applied,
   * adoptions, removals): `mcpform apply`'s business, never the loop's.
   */
  readonly pending: readonly string[];
}

/** Whether `name` is owned by the plan's own mcp.yaml (not by nobody, not by another project). */
function ownedHere(ownership: Ownership, plan: Plan, name: string): boolean {
  const ref = Object.hasOwn(ownership.servers, name) ? ownership.servers[name] : undefined;
  return ref !== undefined && ref.owner !== null && ref.owner === plan.project;
}

function driftOf(c: Change, ownership: Ownership, plan: Plan): Drift | undefined {
  if (!ownedHere(ownership, plan, c.server)) return undefined;
  if (c.action === 'create') return { server: c.server, kind: 'missing' };
  if (c.action === 'update' && c.drift) return { server: c.server, kind: 'changed' };
  return undefined;
}

/** Pure: which of a plan's changes are drift of owned entries, and which are pending work. */
export function splitDrift(plan: Plan, ownership: Ownership): DriftReport {
  const drift: Drift[] = [];
  const pending: string[] = [];
  for (const c of plan.changes) {
    const d = driftOf(c, ownership, plan);
    if (d) drift.push(d);
    else pending.push(c.server);
  }
  pending.push(...plan.adoptions);
  return { drift, pending };
}

/**
 * Pure: the plan cut down to healing drift — only the drifted owned entries of `heal`
 * (all of them when absent), no removal, no adoption, no forgetting. What apply then writes
 * touches nothing else in the file.
 */
export function narrowToDrift(plan: Plan, ownership: Ownership, heal?: (server: string) => boolean): Plan {
  const changes = plan.changes.filter((c) => driftOf(c, ownership, plan) && (heal?.(c.server) ?? true));
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  return {
    ...plan,
    changes,
    adoptions: [],
    forgotten: [],
    removesEverything: false,
    summary: { add: count('create'), change: count('update'), remove: 0 },
  };
}

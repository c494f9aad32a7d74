import { SECRET_KEY } from '../config/names.js';
import { entryHash } from '../state/ownership.js';
import type { ClientEntry, RenderedEntry } from '../targets/types.js';
import { escapePointer } from '../util/pointer.js';
import type { Change, FieldChange, Plan } from './types.js';
import { sameJson } from '../util/equal.js';

export interface PlanInput {
  readonly target: Plan['target'];
  readonly environment: string;
  /** Rendered entries for the declared servers, in mcp.yaml order. */
  readonly desired: ReadonlyMap<string, RenderedEntry>;
  readonly live: Readonly<Record<string, ClientEntry>>;
  /** Owned server name -> hash of what mcpform last wrote. */
  readonly owned: Readonly<Record<string, { hash: string }>>;
  /** Entry fields the target's adapter manages; the rest of an entry is the user's. */
  readonly managedFields: readonly string[];
  readonly prune?: boolean;
}

/**
 * desired x live x owned -> Plan. Pure: no I/O, no clock, deterministic order (declared
 * servers first, in mcp.yaml order, then deletions in file order).
 */
export function computePlan(input: PlanInput): Plan {
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const unmanaged: string[] = [];
  const forgotten: string[] = [];
  const adoptions: string[] = [];

  for (const [name, rendered] of input.desired) {
    const live = Object.hasOwn(input.live, name) ? input.live[name] : undefined;
    const after = live ? mergeEntry(live, rendered.entry, input.managedFields) : { ...rendered.entry };
    const sensitive = [...rendered.sensitive];
    if (!live) {
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
    const owned = Object.hasOwn(input.owned, name) ? input.owned[name] : undefined;
    const fields = diffEntries(live, after, rendered.sensitive);
    if (!owned && fields.length === 0) adoptions.push(name);
    else if (!owned) {
      changes.push({ server: name, action: 'adopt', before: live, after, sensitive, fields, drift: false });
    } else if (fields.length) {
      changes.push({
        server: name,
        action: 'update',
        before: live,
        after,
        sensitive,
        fields,
        drift: entryHash(live) !== owned.hash,
      });
    } else unchanged.push(name);
  }

  for (const [name, live] of Object.entries(input.live)) {
    if (input.desired.has(name)) continue;
    const isOwned = Object.hasOwn(input.owned, name);
    if (isOwned || input.prune) {
      changes.push({
        server: name,
        action: 'delete',
        before: live,
        sensitive: [],
        fields: [],
        drift: isOwned && entryHash(live) !== input.owned[name]!.hash,
      });
    } else unmanaged.push(name);
  }
  for (const name of Object.keys(input.owned)) {
    if (!Object.hasOwn(input.live, name) && !input.desired.has(name)) forgotten.push(name);
  }

  const ownedLive = Object.keys(input.owned).filter((n) => Object.hasOwn(input.live, n));
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  return {
    target: input.target,
    environment: input.environment,
    changes,
    unchanged,
    adoptions,
    unmanaged,
    forgotten,
    removesEverything: input.desired.size === 0 && ownedLive.length > 0,
    // An adoption changes who owns the entry (and maybe its fields): it counts as a change.
    summary: { add: count('create'), change: count('update') + count('adopt'), remove: count('delete') },
  };
}

/** The live entry with the managed fields replaced: unknown fields and key order kept. */
export function mergeEntry(live: ClientEntry, desired: ClientEntry, managed: readonly string[]): ClientEntry {
  const out: ClientEntry = {};
  for (const [k, v] of Object.entries(live)) {
    if (!managed.includes(k)) out[k] = v;
    else if (Object.hasOwn(desired, k)) out[k] = desired[k];
  }
  for (const [k, v] of Object.entries(desired)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/**
 * Field-level differences. Maps (env) are compared key by key; lists and scalars whole.
 * A field is sensitive when the rendered entry says so or its key looks secret, on either side.
 */
export function diffEntries(
  before: ClientEntry | undefined,
  after: ClientEntry | undefined,
  sensitive: ReadonlySet<string>,
): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = unionKeys(before, after);
  for (const key of keys) {
    const b = before?.[key];
    const a = after?.[key];
    if (isMap(b) || isMap(a)) {
      const bm = isMap(b) ? b : undefined;
      const am = isMap(a) ? a : undefined;
      for (const sub of unionKeys(bm, am)) {
        const ptr = `/${escapePointer(key)}/${escapePointer(sub)}`;
        pushChange(
          out,
          `${key}.${sub}`,
          bm?.[sub],
          am?.[sub],
          bm !== undefined && Object.hasOwn(bm, sub),
          am !== undefined && Object.hasOwn(am, sub),
          sensitive.has(ptr) || SECRET_KEY.test(sub),
        );
      }
      continue;
    }
    const isSecret = [...sensitive].some(
      (p) => p === `/${escapePointer(key)}` || p.startsWith(`/${escapePointer(key)}/`),
    );
    pushChange(
      out,
      key,
      b,
      a,
      before !== undefined && Object.hasOwn(before, key),
      after !== undefined && Object.hasOwn(after, key),
      isSecret,
    );
  }
  return out;
}

function pushChange(
  out: FieldChange[],
  field: string,
  b: unknown,
  a: unknown,
  hasB: boolean,
  hasA: boolean,
  sensitive: boolean,
): void {
  if (hasB && hasA && sameJson(a, b)) return;
  if (!hasB && !hasA) return;
  out.push({
    field,
    kind: !hasB ? 'add' : !hasA ? 'remove' : 'change',
    before: hasB ? b : undefined,
    after: hasA ? a : undefined,
    sensitive,
  });
}

function unionKeys(a?: object, b?: object): string[] {
  const keys = Object.keys(a ?? {});
  for (const k of Object.keys(b ?? {})) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

import { SECRET_KEY } from '../config/names.js';
import { entryMatches } from '../state/ownership.js';
import { parseMcpRemote } from '../util/mcp-remote.js';
import type { ClientEntry, RenderedEntry } from '../targets/types.js';
import { escapePointer } from '../util/pointer.js';
import type { Change, FieldChange, Plan } from './types.js';

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

/**
 * What declaring `desired` does to the live entry: the entry apply would write, and the
 * fields that differ. An `mcp-remote` bridge that reaches the same URL with the same
 * headers and transport is the same server however it is spelled (`-y` or not, a header
 * through another variable name): it stays as it is, so a `url:` server can adopt it.
 */
export function entryChange(
  live: ClientEntry,
  desired: ClientEntry,
  managed: readonly string[],
  sensitive: ReadonlySet<string>,
): { after: ClientEntry; fields: FieldChange[] } {
  const after = mergeEntry(live, desired, managed);
  const fields = diffEntries(live, after, sensitive);
  if (fields.length && sameBridgedRemote(live, desired)) return { after: live, fields: [] };
  return { after, fields };
}

function sameBridgedRemote(live: ClientEntry, desired: ClientEntry): boolean {
  const a = parseMcpRemote(live);
  const b = a && parseMcpRemote(desired);
  return !!b && live.command === desired.command && live.cwd === desired.cwd && deepEqual(a, b);
}

/**
 * The live entry with the managed fields replaced: unknown fields and key order kept. A
 * live value the client reads the same way as the desired one stays as it is, so adopting
 * a hand-written entry changes no byte: an absent `args`/`env` is the same as an empty one,
 * and an env value `3000` is the string "3000" the server receives.
 */
export function mergeEntry(live: ClientEntry, desired: ClientEntry, managed: readonly string[]): ClientEntry {
  const out: ClientEntry = {};
  for (const [k, v] of Object.entries(live)) {
    if (!managed.includes(k)) out[k] = v;
    else if (Object.hasOwn(desired, k)) out[k] = sameForClient(v, desired[k]) ? v : desired[k];
    else if (isEmpty(v)) out[k] = v;
  }
  for (const [k, v] of Object.entries(desired)) {
    if (Object.hasOwn(out, k) || Object.hasOwn(live, k) || isEmpty(v)) continue;
    out[k] = v;
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
}

/** Equal, or a map (env) whose number/boolean values are the strings the server gets. */
function sameForClient(live: unknown, desired: unknown): boolean {
  if (deepEqual(live, desired)) return true;
  if (!isMap(live) || !isMap(desired) || Object.keys(live).length !== Object.keys(desired).length) return false;
  return Object.keys(live).every((k) => {
    const l = live[k];
    const d = desired[k];
    return (
      Object.hasOwn(desired, k) &&
      (deepEqual(l, d) || ((typeof l === 'number' || typeof l === 'boolean') && String(l) === d))
    );
  });
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
  if (hasB && hasA && deepEqual(a, b)) return;
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

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
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

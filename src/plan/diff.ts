import { SECRET_KEY } from '../util/mask.js';
import type { ClientEntry } from '../targets/types.js';
import { parseMcpRemote } from '../targets/mcp-remote.js';
import { sameJson as deepEqual } from '../util/equal.js';
import { escapePointer } from '../util/pointer.js';
import type { FieldChange } from './types.js';

/** Entry-level comparison for plans: what changes in one client entry, field by field. Pure. */

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

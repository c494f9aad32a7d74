import type { DesiredServer, TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { sameJson } from '../util/equal.js';
import { defineClient, definitionOf, type ClientDefinition } from '../targets/define.js';
import type { ClientEntry, Pins, RenderedEntry, TargetAdapter } from '../targets/types.js';
import { mergeEntry } from './diff.js';

/**
 * One server map that several clients read (the portable `.mcp.json`: Claude Code, Copilot
 * and Qwen Code project scopes). It is planned once, as one target: each entry is the union
 * of what every reader needs, with values every reader reads as its own rendering.
 */

/** One target that reads the shared map, with its spec (scope, secrets). */
export interface Reader {
  readonly adapter: TargetAdapter;
  readonly spec: TargetSpec;
}

/** The fields of the common vocabulary (`toCanonical`), compared as each reader reads them. */
const CANONICAL = ['command', 'args', 'env', 'cwd', 'url', 'headers', 'type'] as const;

/** Whether this target's scope is one other clients read too (`sharedScopes`). */
export function isSharedScope(adapter: TargetAdapter, spec: TargetSpec): boolean {
  const def = definitionOf(adapter);
  return (def.sharedScopes ?? []).includes(spec.scope ?? adapter.scopes[0]!);
}

/** Strict JSON first: the file must parse for the strictest reader. */
function byStrictness(readers: readonly Reader[]): Reader[] {
  return [...readers].sort((a, b) => Number(a.adapter.format !== 'json') - Number(b.adapter.format !== 'json'));
}

/**
 * The adapter the shared map is read, written and owned through: the strictest reader's file
 * handling and name (its ownership record and backups), every reader's managed fields, and an
 * entry normalized with every reader's defaults (first reader first), so an entry that each
 * reads as planned is "No changes."
 */
export function sharedAdapter(readers: readonly Reader[]): TargetAdapter {
  const defs = byStrictness(readers).map((r) => definitionOf(r.adapter));
  const def: ClientDefinition = {
    ...defs[0]!,
    managedFields: [...new Set(defs.flatMap((d) => d.managedFields))],
    normalize: sharedNormalize(readers),
    render: () => {
      throw new McpformError('INTERNAL', 'a shared file is rendered per reader (renderShared)');
    },
  };
  return defineClient(def);
}

/**
 * An entry with every reader's defaults filled in (the strictest reader's first), except a
 * default another reader would skip the entry for (Copilot's `tools: ["*"]` on a remote
 * server, for Claude Code): the reader that assumes it reads its absence the same way.
 */
function sharedNormalize(readers: readonly Reader[]): (entry: ClientEntry) => ClientEntry {
  const defs = byStrictness(readers).map((r) => definitionOf(r.adapter));
  return (entry) => {
    const out: ClientEntry = { ...entry };
    for (const def of defs) {
      const n = def.normalize ? def.normalize(entry) : entry;
      for (const [k, v] of Object.entries(n)) {
        if (Object.hasOwn(out, k)) continue;
        const trial = { ...out, [k]: v };
        if (!defs.some((d) => d.refuses?.(trial))) out[k] = v;
      }
    }
    return out;
  };
}

/**
 * The one entry for `server` that every reader reads as what it would write itself, as
 * `live` (the entry in the file, if any) would become: each field takes the file's value, a
 * reader's value or none, first the one that keeps the file as it is. No such entry: a plan
 * error that names the readers and what each needs.
 */
export function renderShared(
  readers: readonly Reader[],
  server: DesiredServer,
  pins: Pins,
  platform: NodeJS.Platform,
  live: ClientEntry | undefined,
  managed: readonly string[],
  file: string,
): RenderedEntry {
  const normalize = sharedNormalize(readers);
  const own = readers.map((r) => ({ ...r, rendered: r.adapter.render(server, pins, r.spec, platform) }));
  const fields = [...new Set(own.flatMap((o) => Object.keys(o.rendered.entry)))];
  const options = fields.map((f) => {
    const values: unknown[] = [];
    const add = (v: unknown) => {
      if (!values.some((x) => sameJson(x, v))) values.push(v);
    };
    if (live && Object.hasOwn(live, f)) add(live[f]);
    for (const o of own) if (Object.hasOwn(o.rendered.entry, f)) add(o.rendered.entry[f]);
    add(undefined); // the field left out: a reader may read its absence as its own value
    return values;
  });
  let firstProblem: string | undefined;
  for (const entry of combinations(fields, options)) {
    const after = live ? mergeEntry(live, entry, managed) : entry;
    const problem = own.map((o) => rejection(o.adapter, after, o.rendered.entry)).find((p) => p !== undefined);
    // As the file will read back: with the defaults the readers fill in (sharedNormalize).
    if (problem === undefined)
      return { entry: normalize(entry), sensitive: new Set(own.flatMap((o) => [...o.rendered.sensitive])) };
    firstProblem ??= problem;
  }
  const names = readers.map((r) => r.adapter.name).join(', ');
  throw new McpformError(
    'UNSUPPORTED_BY_CLIENT',
    `'${server.name}' cannot be written to ${file} as one entry that ${names} all read as declared: ${firstProblem}`,
    {
      hint: `every reader of ${file} reads every entry in it: give one of these targets another scope (a file of its own), or change the entry by hand so that all of them accept it`,
    },
  );
}

/** Why `adapter` would not read `entry` as it would write `own` itself, or undefined. */
function rejection(adapter: TargetAdapter, entry: ClientEntry, own: ClientEntry): string | undefined {
  const def = definitionOf(adapter);
  const refused = def.refuses?.(entry);
  if (refused) return `${adapter.name} skips an entry with ${refused}`;
  const got = adapter.toCanonical(entry);
  const want = adapter.toCanonical(own);
  for (const k of CANONICAL) {
    if (!sameJson(got[k], want[k])) return `${adapter.name} reads ${k} as ${show(got[k])}, not ${show(want[k])}`;
  }
  const norm = (e: ClientEntry) => (def.normalize ? def.normalize(e) : e);
  const g = norm(entry);
  const w = norm(own);
  for (const k of Object.keys(w)) {
    if ((CANONICAL as readonly string[]).includes(k)) continue;
    if (!sameJson(g[k], w[k])) return `${adapter.name} needs ${k}: ${show(w[k])}`;
  }
  return undefined;
}

function show(v: unknown): string {
  return v === undefined ? 'none' : JSON.stringify(v);
}

/** Every entry the options make, in preference order (first option of each field first). */
function* combinations(fields: readonly string[], options: readonly unknown[][]): Generator<ClientEntry> {
  const pick = new Array<number>(fields.length).fill(0);
  for (;;) {
    const entry: ClientEntry = {};
    fields.forEach((f, i) => {
      const v = options[i]![pick[i]!];
      if (v !== undefined) entry[f] = v;
    });
    yield entry;
    let i = fields.length - 1;
    while (i >= 0 && pick[i] === options[i]!.length - 1) pick[i--] = 0;
    if (i < 0) return;
    pick[i]!++;
  }
}

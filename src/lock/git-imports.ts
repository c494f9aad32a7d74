import type { GitImportPin, GitImportState } from '../config/git/reader.js';
import type { DesiredState } from '../config/types.js';
import { McpformError } from '../errors.js';
import { canonicalJson } from '../util/hash.js';
import type { LockFile } from './types.js';
import { shellCommand } from '../util/shell-quote.js';

/** The lock entry a git import as loaded should have. */
export function importLockOf(g: GitImportState): GitImportPin {
  const files: Record<string, string> = {};
  for (const p of Object.keys(g.files).sort()) files[p] = g.files[p]!;
  return { git: g.url, ref: g.ref, commit: g.commit, files };
}

const same = (a: GitImportPin | undefined, b: GitImportPin) => !!a && canonicalJson(a) === canonicalJson(b);

/**
 * What mcp.lock must change so its `imports` match the git imports just loaded: new or moved
 * pins, and pins of imports mcp.yaml no longer has. null deletes. The loader already refused
 * a missing or stale pin under --frozen-lockfile; this also catches a changed set of files.
 */
export function importLockEdits(lock: LockFile, state: DesiredState, frozen = false): Map<string, GitImportPin | null> {
  const edits = new Map<string, GitImportPin | null>();
  const wanted = new Map((state.gitImports ?? []).map((g) => [g.key, importLockOf(g)]));
  for (const [key, entry] of wanted) if (!same(lock.imports?.[key], entry)) edits.set(key, entry);
  for (const key of Object.keys(lock.imports ?? {})) if (!wanted.has(key)) edits.set(key, null);
  if (frozen && edits.size)
    throw new McpformError(
      'LOCKFILE_FROZEN',
      `mcp.lock's git imports would change (${[...edits.keys()].join(', ')}), and --frozen-lockfile forbids writing it`,
      { hint: "run 'mcpform lock' and commit mcp.lock" },
    );
  return edits;
}

/** One line per edit, for `pinned ...` output and --frozen-lockfile messages. */
export function describeImportEdit(key: string, entry: GitImportPin | null): string {
  return entry ? `${key}: ${entry.ref} at ${entry.commit.slice(0, 12)}` : `${key}: removed`;
}

export function applyImportEdits(lock: LockFile, edits: ReadonlyMap<string, GitImportPin | null>): void {
  if (edits.size === 0) return;
  const imports = { ...lock.imports };
  for (const [key, entry] of edits) {
    if (entry) imports[key] = entry;
    else delete imports[key];
  }
  lock.imports = imports;
}

/** Sorted keys and files, fixed field order: a run without changes rewrites nothing. */
export function renderImports(imports: LockFile['imports']): Record<string, GitImportPin> | undefined {
  const keys = Object.keys(imports ?? {}).sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, GitImportPin> = {};
  for (const k of keys) {
    const e = imports![k]!;
    const files: Record<string, string> = {};
    for (const p of Object.keys(e.files).sort()) files[p] = e.files[p]!;
    out[k] = { git: e.git, ref: e.ref, commit: e.commit, files };
  }
  return out;
}

export interface ProfileChange {
  server: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: the top-level fields that differ (never their values: they may be secret). */
  fields: string[];
}

/** What moving a pin changes in the profile: servers added, removed, changed (field by field). */
export function profileChanges(before: GitImportState | undefined, after: GitImportState): ProfileChange[] {
  const a = before?.servers ?? {};
  const b = after.servers;
  const out: ProfileChange[] = [];
  for (const name of Object.keys(b).sort()) {
    if (!(name in a)) out.push({ server: name, kind: 'added', fields: [] });
    else if (canonicalJson(a[name]) !== canonicalJson(b[name])) {
      const x = (a[name] ?? {}) as Record<string, unknown>;
      const y = (b[name] ?? {}) as Record<string, unknown>;
      const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])]
        .filter((f) => canonicalJson(x[f] ?? null) !== canonicalJson(y[f] ?? null))
        .sort();
      out.push({ server: name, kind: 'changed', fields });
    }
  }
  for (const name of Object.keys(a).sort()) if (!(name in b)) out.push({ server: name, kind: 'removed', fields: [] });
  return out;
}

/** The plan's one line per import whose ref has moved past its pin (as the cache knows it). */
export function movedNotes(state: DesiredState): string[] {
  return (state.gitImports ?? [])
    .filter((g) => g.moved)
    .map(
      (g) =>
        `Note: ${g.key}: '${g.ref}' is now at ${g.moved!.commit.slice(0, 12)}, ${g.moved!.ahead ? 'past' : 'not a descendant of (history rewritten)'} the pinned ${g.commit.slice(0, 12)}; '${shellCommand(['mcpform', 'lock', '--update', g.key])}' moves the pin`,
    );
}

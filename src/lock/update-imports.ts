import type { DesiredState } from '../config/types.js';
import { cacheDir } from '../state/dirs.js';
import { visible } from '../util/sanitize.js';
import type { World } from '../world.js';
import { profileChanges, type ProfileChange } from './git-imports.js';
import { shellQuote } from '../util/shell-quote.js';

/** `lock --update NAME...`: which names are git imports (by key, URL or path), which servers. */
export function splitUpdateNames(
  state: DesiredState,
  names: true | string[] | undefined,
): { importUpdate?: true | string[]; serverNames: string[] } {
  const all = state.gitImports ?? [];
  if (names === undefined) return { serverNames: [] };
  if (names === true) return { importUpdate: all.length ? true : undefined, serverNames: [] };
  const servers = new Set(state.servers.map((s) => s.name));
  const keys: string[] = [];
  const serverNames: string[] = [];
  for (const n of names) {
    const hits = servers.has(n) ? [] : all.filter((g) => g.key === n || g.url === n || g.key.endsWith(`#${n}`));
    if (hits.length) keys.push(...hits.map((g) => g.key));
    else serverNames.push(n);
  }
  return { importUpdate: keys.length ? [...new Set(keys)] : undefined, serverNames };
}

export function importList(state: DesiredState): string {
  const all = state.gitImports ?? [];
  return all.length ? `; git imports: ${all.map((g) => g.key).join(', ')}` : '';
}

export interface ImportUpdate {
  key: string;
  /** A command that shows the whole change: field names alone do not say what a value became. */
  review?: string;
  /** `git diff --stat` of the profile's files between the two commits. */
  stat?: string[];
  ref: string;
  from: string;
  to: string;
  changes: ProfileChange[];
}

/**
 * Re-resolves the imports' refs on their remotes and says what that changes in each profile.
 * `reload` loads mcp.yaml again, moving the pins of those imports.
 */
export async function updateImports(
  world: World,
  before: DesiredState,
  update: true | string[],
  reload: (update: true | string[]) => Promise<DesiredState>,
): Promise<{ state: DesiredState; changes: ImportUpdate[] }> {
  const state = await reload(update);
  const { GitCache } = await import('../config/git/repo.js');
  const cache = new GitCache(cacheDir(world), world.env, 0);
  const changes: ImportUpdate[] = [];
  for (const g of state.gitImports ?? []) {
    if (update !== true && !update.includes(g.key)) continue;
    const old = before.gitImports?.find((b) => b.key === g.key);
    const paths = [...new Set([...Object.keys(old?.files ?? {}), ...Object.keys(g.files)])].sort();
    const moved = !!old?.commit && old.commit !== g.commit;
    changes.push({
      key: g.key,
      review: moved ? reviewCommand(cache.dirFor(g.url), old.commit, g.commit, paths, world.platform) : undefined,
      stat: moved ? await cache.diffStat(g.url, old.commit, g.commit, paths) : undefined,
      ref: g.ref,
      from: old?.commit ?? '',
      to: g.commit,
      changes: old?.commit === g.commit ? [] : profileChanges(old, g),
    });
  }
  return { state, changes };
}

/**
 * `git diff` of a profile's files between two pins, to paste: the file names are the
 * profile's own choice, so each is quoted (always, so a reader sees where each ends).
 */
export function reviewCommand(
  gitDir: string,
  from: string,
  to: string,
  paths: readonly string[],
  platform: NodeJS.Platform,
): string {
  const q = (w: string) => shellQuote(w, { platform, always: true });
  return `git --git-dir ${q(gitDir)} diff ${from.slice(0, 12)} ${to.slice(0, 12)} -- ${paths.map(q).join(' ')}`;
}

export function renderImportUpdates(updates: readonly ImportUpdate[]): string[] {
  const out: string[] = [];
  for (const u of updates) {
    if (u.from === u.to) {
      out.push(`${visible(u.key)}: '${visible(u.ref)}' is still at ${u.to.slice(0, 12)}`);
      continue;
    }
    out.push(
      `moved ${visible(u.key)}: '${visible(u.ref)}' ${u.from ? u.from.slice(0, 12) : '(unpinned)'} -> ${u.to.slice(0, 12)}`,
    );
    if (!u.changes.length) out.push('  no server changed');
    for (const c of u.changes)
      out.push(
        c.kind === 'added'
          ? `  + ${visible(c.server)}: added`
          : c.kind === 'removed'
            ? `  - ${visible(c.server)}: removed`
            : `  ~ ${visible(c.server)}: changed (${c.fields.map(visible).join(', ')})`,
      );
    if (u.review) out.push(`  review: ${u.review}`);
    for (const line of u.stat ?? []) out.push(`  ${visible(line.trim())}`);
  }
  return out;
}

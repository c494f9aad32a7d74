import type { DesiredServer, DesiredState } from '../config/types.js';
import { canonicalJson } from '../util/hash.js';
import { masker } from '../util/mask.js';
import { visible } from '../util/sanitize.js';

/** How one server of the environment would start differently after moving a profile's pin. */
export interface LaunchChange {
  server: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: what differs (field names only; values may be secret). */
  fields: string[];
  /** The command line it would run now, secrets masked (absent for `removed`). */
  runs?: string;
}

// What decides which process starts, and with what: the fields a review must name.
const LAUNCH_FIELDS = ['command', 'package', 'url', 'transport', 'args', 'env', 'headers', 'cwd'] as const;

const fieldOf = (s: DesiredServer, f: (typeof LAUNCH_FIELDS)[number]): unknown =>
  f === 'package' && s.package ? `${s.package.name}@${s.package.range}` : s[f];

/**
 * What a server runs (its argv as a JSON list, npx for packages, so no argument boundary is
 * in doubt) or the URL it reaches, with the server's secrets masked.
 */
export function commandLine(s: DesiredServer): string {
  if (s.kind === 'url') return masker(s.secrets)(s.url ?? '');
  const argv =
    s.kind === 'package' && s.package
      ? ['npx', '-y', `${s.package.name}@${s.package.range}`, ...s.args]
      : [s.command ?? '', ...s.args];
  return masker(s.secrets)(`[${argv.map((w) => JSON.stringify(w)).join(', ')}]`);
}

/**
 * What moving pins changes in what the environment runs, server by server: whatever in the
 * profile caused it (its servers, its environments' overrides, an import it added).
 */
export function launchChanges(before: DesiredState, after: DesiredState): LaunchChange[] {
  const old = new Map(before.servers.map((s) => [s.name, s]));
  const now = new Map(after.servers.map((s) => [s.name, s]));
  const out: LaunchChange[] = [];
  for (const [name, s] of now) {
    const was = old.get(name);
    if (!was) {
      out.push({ server: name, kind: 'added', fields: [], runs: commandLine(s) });
      continue;
    }
    const fields = LAUNCH_FIELDS.filter(
      (f) => canonicalJson(fieldOf(was, f) ?? null) !== canonicalJson(fieldOf(s, f) ?? null),
    );
    if (fields.length) out.push({ server: name, kind: 'changed', fields: [...fields], runs: commandLine(s) });
  }
  for (const name of old.keys()) if (!now.has(name)) out.push({ server: name, kind: 'removed', fields: [] });
  return out;
}

/** The review's lines: one per server whose start changes, with what it would run. */
export function renderLaunchChanges(environment: string, changes: readonly LaunchChange[]): string[] {
  if (changes.length === 0) return [`The servers of environment '${visible(environment)}' start as before.`];
  return [
    `What environment '${visible(environment)}' would start:`,
    ...changes.map((c) =>
      c.kind === 'removed'
        ? `  - ${visible(c.server)}: no longer started`
        : c.kind === 'added'
          ? `  + ${visible(c.server)}: new, runs ${visible(c.runs!)}`
          : `  ~ ${visible(c.server)}: ${c.fields.join(', ')} changed, runs ${visible(c.runs!)}`,
    ),
  ];
}

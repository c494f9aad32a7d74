import type { Plan } from '../plan/types.js';
import type { ClientEntry } from '../targets/types.js';
import { entryHash, entryMatches, UNKNOWN_HASH, type Ownership } from '../state/ownership.js';

/**
 * The record after a successful apply of `plan`, pure: what was written (or adopted as it
 * is) now belongs to `plan.project`; what it deleted or forgot is dropped; every other
 * project's entries are kept exactly. Legacy plain-sha256 hashes are replaced by keyed ones
 * (of the entry as it is now, when it still matches; else `unknown`), so no unkeyed hash of
 * an entry that holds secrets stays in the state dir.
 */
export function nextOwnership(
  prev: Ownership,
  plan: Plan,
  entries: Readonly<Record<string, ClientEntry>>,
  opts: { key: Buffer; now: Date },
): Ownership {
  const servers: Ownership['servers'] = {};
  const set = (name: string, value: Ownership['servers'][string]) =>
    Object.defineProperty(servers, name, { value, enumerable: true, writable: true, configurable: true });
  for (const [name, e] of Object.entries(prev.servers)) {
    const live = Object.hasOwn(entries, name) ? entries[name] : undefined;
    const hash = !e.hash.startsWith('sha256:')
      ? e.hash
      : live && entryMatches(live, e.hash)
        ? entryHash(live, opts.key)
        : UNKNOWN_HASH;
    set(name, { ...e, hash });
  }
  const at = opts.now.toISOString();
  const own = (name: string) => {
    const sensitive = plan.sensitiveFields?.[name] ?? [];
    set(name, {
      owner: plan.project ?? null,
      hash: entryHash(entries[name] ?? {}, opts.key),
      appliedAt: at,
      environment: plan.environment,
      ...(sensitive.length ? { sensitive: [...sensitive] } : {}),
    });
  };
  for (const c of plan.changes) {
    if (c.action === 'delete') delete servers[c.server];
    else own(c.server);
  }
  for (const name of plan.adoptions) own(name);
  for (const name of plan.forgotten) delete servers[name];
  return {
    formatVersion: 2,
    target: prev.target,
    path: prev.path,
    ...(prev.serversPath && { serversPath: prev.serversPath }),
    servers,
  };
}

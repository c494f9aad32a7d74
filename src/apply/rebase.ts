import { readFileSync } from 'node:fs';
import { McpformError } from '../errors.js';
import type { TargetPlan } from '../plan/build.js';
import type { ClientEntry, LiveConfig } from '../targets/types.js';
import { sameJson } from '../util/equal.js';

/*
 * The client writes its own file too (Claude Code rewrites ~/.claude.json while it runs:
 * counters, account, per-project state), so the file apply writes may have moved since the
 * plan was read. Like `kubectl apply`, mcpform's edits are re-applied to the file as it is
 * now — they are surgical, so the client's bytes elsewhere stay — as long as every entry the
 * plan decided on is still exactly as the plan saw it. If the client changed one of those
 * (added a server of the same name, edited or removed one mcpform manages), the plan the user
 * approved no longer describes the file: refused, like Terraform's stale plan.
 */

/** The file as it is now, read once: its bytes (null: absent) and the client's reading of them. */
export interface FileNow {
  live: LiveConfig;
  bytes: Buffer | null;
}

/** Reads `dest` (the file, through its symlink) as `tp`'s client reads it, at the same server map. */
export function readNow(tp: TargetPlan, dest: string): FileNow {
  const path = tp.plan.target.path;
  const { spec, serversPath } = tp.live;
  // read() first: it refuses a FIFO, a directory or a huge file instead of waiting on it.
  const checked = tp.adapter.read(path, spec);
  if (!checked.exists) return { live: checked, bytes: null };
  // Then one read of the bytes kept: the hash, the backup and the edit all come from them.
  const bytes = readFileSync(dest);
  return { live: tp.adapter.parse(bytes, path, { spec, serversPath }), bytes };
}

/**
 * `now` as the base of `tp`'s edit, when the file moved since `base` was read: the entries the
 * plan decided on must be exactly as `base` had them, or the plan is refused as stale.
 */
export function rebaseOnto(tp: TargetPlan, base: LiveConfig, now: FileNow): LiveConfig {
  if (now.live.hash === base.hash) return base;
  const moved = decidedNames(tp).filter((name) => !sameJson(entryOf(now.live, name), entryOf(base, name)));
  if (moved.length) {
    throw new McpformError(
      'STALE_PLAN',
      `${tp.plan.target.path} changed since the plan was made, and ${moved.map((n) => `'${n}'`).join(', ')} ${moved.length === 1 ? 'is' : 'are'} no longer as planned; nothing more was written`,
      { hint: "run 'mcpform plan' again" },
    );
  }
  return now.live;
}

/**
 * The file text with this target's edits undone on whatever the file holds now: each changed
 * server back to `before` (removed if it did not exist). Null: nothing of them is left to undo
 * (the file is gone, or the client already took them out).
 */
export function undoEdits(tp: TargetPlan, dest: string, before: Readonly<Record<string, ClientEntry>>): string | null {
  const now = readNow(tp, dest);
  if (!now.live.exists) return null;
  const entries: Record<string, ClientEntry> = {};
  const put = (name: string, entry: ClientEntry) =>
    Object.defineProperty(entries, name, { value: entry, enumerable: true, writable: true, configurable: true });
  for (const [name, entry] of Object.entries(now.live.entries)) put(name, entry);
  for (const { server } of tp.plan.changes) {
    if (Object.hasOwn(before, server)) put(server, before[server]!);
    else delete entries[server];
  }
  const text = tp.adapter.serialize(now.live, entries);
  return text === now.live.text ? null : text;
}

/** Every entry the plan's decision rests on: changed, adopted, forgotten, or left as declared. */
function decidedNames(tp: TargetPlan): string[] {
  const { plan } = tp;
  return [...new Set([...plan.changes.map((c) => c.server), ...plan.adoptions, ...plan.forgotten, ...plan.unchanged])];
}

function entryOf(live: LiveConfig, name: string): ClientEntry | undefined {
  return Object.hasOwn(live.entries, name) ? live.entries[name] : undefined;
}

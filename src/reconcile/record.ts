import { appendFileSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { McpformError } from '../errors.js';
import { STATE_DIR_HINT, stateDir } from '../state/dirs.js';
import { writeFileAtomic } from '../util/fs.js';
import { makeOwnDir } from '../util/make-dir.js';
import type { World } from '../world.js';
import type { Drift } from './drift.js';

/** What the last pass found for one client file of one project. */
export interface TargetStatus {
  target: string;
  path: string;
  state: 'in-sync' | 'drifted' | 'healed' | 'backing-off' | 'error';
  /** Drift left in place: selfHeal off, held back, or the heal failed. */
  drift: Drift[];
  /** Servers mcp.yaml would change that are `mcpform apply`'s business. */
  pending: string[];
  /** Servers the agent stopped healing for now: a client keeps undoing it. */
  held: string[];
  /** How many entries were healed since the project was first reconciled. */
  healed: number;
  lastHealedAt?: string;
  lastError?: string;
  checkedAt: string;
}

export interface ProjectStatus {
  file: string;
  environment?: string;
  selfHeal: boolean;
  checkedAt: string;
  /** The pass failed before any target was looked at (mcp.yaml does not load, say). */
  lastError?: string;
  targets: TargetStatus[];
}

/** `<state dir>/reconcile/status.json`: the last pass of every project, for `mcpform status`. */
export interface StatusFile {
  formatVersion: 1;
  projects: ProjectStatus[];
}

const dirOf = (world: World) => join(stateDir(world), 'reconcile');
export const statusPath = (world: World) => join(dirOf(world), 'status.json');
export const eventLogPath = (world: World) => join(dirOf(world), 'events.log');
/** The log is cut at this size; the previous part is kept as events.log.1. */
const LOG_LIMIT = 1 << 20;

export function readStatus(world: World): StatusFile {
  const file = statusPath(world);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<StatusFile>;
    if (raw.formatVersion !== 1 || !Array.isArray(raw.projects)) throw new Error('unknown format');
    return { formatVersion: 1, projects: raw.projects };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { formatVersion: 1, projects: [] };
    throw new McpformError('UNREADABLE', `mcpform's state file ${file} is damaged (${(err as Error).message})`, {
      hint: 'move it aside; the next pass writes a new one',
    });
  }
}

/** Replaces one project's record (atomically: a kill leaves the old file or the new one). */
export async function writeProjectStatus(world: World, next: ProjectStatus): Promise<void> {
  let current: StatusFile;
  try {
    current = readStatus(world);
  } catch {
    current = { formatVersion: 1, projects: [] }; // a damaged record is replaced, not fatal to the loop
  }
  const projects = [...current.projects.filter((p) => p.file !== next.file), next];
  makeOwnDir(dirOf(world), 'the reconcile folder', STATE_DIR_HINT);
  await writeFileAtomic(statusPath(world), `${JSON.stringify({ formatVersion: 1, projects }, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** The previous record of one project, if any. */
export function previousStatus(world: World, file: string): ProjectStatus | undefined {
  try {
    return readStatus(world).projects.find((p) => p.file === file);
  } catch {
    return undefined;
  }
}

/** One line of JSON per event in the log a user can read (`events.log`); text already masked. */
export function logEvent(world: World, event: Record<string, unknown>): void {
  const file = eventLogPath(world);
  try {
    makeOwnDir(dirOf(world), 'the reconcile folder', STATE_DIR_HINT);
    try {
      if (statSync(file).size > LOG_LIMIT) renameSync(file, `${file}.1`);
    } catch {
      // no log yet
    }
    appendFileSync(file, `${JSON.stringify({ at: world.now().toISOString(), ...event })}\n`, { mode: 0o600 });
  } catch {
    // The log is for people; a full disk must not stop a heal.
  }
}

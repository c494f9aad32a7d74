import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { McpformError } from '../errors.js';
import { STATE_DIR_HINT, stateDir } from './dirs.js';
import { makeOwnDir } from '../util/make-dir.js';
import { sha256 } from '../util/hash.js';
import { realPathOf } from '../util/real-path.js';
import type { World } from '../world.js';

export interface MutexHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Which acquisition this is: a recovered mutex must never be mistaken for a new one. */
  token: string;
}

export interface HeldMutex {
  release(): Promise<void>;
}

export interface MutexOptions {
  /** How long to wait for a live holder (MCPFORM_LOCK_TIMEOUT_MS, else 10 s). */
  waitMs?: number;
  /** Where the mutex file lives (the state dir), and the clock its holder's `since` and heartbeat follow. */
  world: World;
  command?: string;
  /** Called if another process took the mutex over while we held it (we were frozen > STALE_MS). */
  onCompromised?: (message: string) => void;
}

/** A holder refreshes its mutex file's mtime this often... */
const HEARTBEAT_MS = 2_000;
/** ...so a mutex file not refreshed for this long has no living holder (another host, a reused pid). */
const STALE_MS = 10_000;

/** Keyed on the real path: one file reached through a symlink and directly has one mutex. */
export function mutexPathFor(target: string, world: World): string {
  return join(stateDir(world), 'locks', `${sha256(realPathOf(target)).slice(7, 23)}.lock`);
}

/**
 * Mutual exclusion on one file (a client config, mcp.lock, a git cache folder) between
 * mcpform processes. Named "mutex", not "lock": in mcpform "lock" means mcp.lock. Its on-disk
 * form stays `<state dir>/locks/<hash>.lock` and its error code LOCK_HELD (both public).
 *
 * The mutex is a small file in the state dir that names its holder, created with link(2)
 * from a complete temp file, so it never exists without saying who holds it: a killed
 * holder is recognised at once (its pid is gone on this host) and its mutex taken over,
 * however old. A holder keeps the file's mtime fresh; one that stopped doing so for
 * STALE_MS (another host, a reused pid) is taken over too. A live holder is waited for up
 * to `waitMs`, then named in the error.
 *
 * Hand-written rather than proper-lockfile: that library keys staleness on mtime alone
 * (a dead holder blocks for its stale period) and its lock directory cannot carry the
 * holder atomically (the cause of "ENOTEMPTY ... rmdir" once such a lock went stale).
 */
export async function acquireFileMutex(target: string, opts: MutexOptions): Promise<HeldMutex> {
  const { world } = opts;
  const waitMs = opts.waitMs ?? Number(world.env.MCPFORM_LOCK_TIMEOUT_MS ?? 10_000);
  const mutexPath = mutexPathFor(target, world);
  makeOwnDir(join(mutexPath, '..'), 'the locks folder', STATE_DIR_HINT);
  const holder: MutexHolder = {
    pid: process.pid,
    host: hostname(),
    command: opts.command ?? process.argv.slice(2).join(' '),
    since: world.now().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  // How long we waited is elapsed time (monotonic), not the World's clock, which a test may fix.
  const deadline = performance.now() + waitMs;
  for (;;) {
    if (tryCreate(mutexPath, holder)) return held(target, mutexPath, holder, opts);
    const current = readHolder(mutexPath);
    if (current === 'gone') continue; // released between our attempt and the read
    if (isAbandoned(mutexPath, current, world)) {
      takeOver(mutexPath, current);
      continue;
    }
    if (performance.now() >= deadline) {
      const who = current
        ? `process ${current.pid} on ${current.host} (mcpform ${current.command}, since ${current.since})`
        : 'another mcpform process';
      throw new McpformError('LOCK_HELD', `${target} is locked by ${who}; nothing was changed`, {
        hint: 'wait for it to finish and run again; if that process is gone, the lock is recovered automatically',
      });
    }
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 75));
  }
}

/** Atomically create the mutex file with the holder already in it; false if it exists. */
function tryCreate(mutexPath: string, holder: MutexHolder): boolean {
  const tmp = `${mutexPath}.${holder.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(tmp, mutexPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

function held(target: string, mutexPath: string, holder: MutexHolder, opts: MutexOptions): HeldMutex {
  let lost = false;
  const heartbeat = setInterval(() => {
    const current = readHolder(mutexPath);
    if (current === 'gone' || current?.token !== holder.token) {
      clearInterval(heartbeat);
      lost = true;
      (opts.onCompromised ?? ((m) => process.stderr.write(`Warning: ${m}\n`)))(
        `the lock on ${target} was taken over while mcpform held it`,
      );
      return;
    }
    const now = opts.world.now();
    try {
      utimesSync(mutexPath, now, now);
    } catch {
      // the next beat (or the taker) finds out
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      if (lost) return;
      const current = readHolder(mutexPath);
      if (current !== 'gone' && current?.token === holder.token) unlinkQuietly(mutexPath);
    },
  };
}

/**
 * The holder named in the mutex file; 'gone' if there is none; undefined if unreadable.
 * A directory is a mutex of mcpform 0.1 (a proper-lockfile lock), its holder inside.
 */
function readHolder(path: string): MutexHolder | 'gone' | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as MutexHolder;
    return typeof h?.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return readHolder(join(path, 'owner.json'));
    return code === 'ENOENT' && !path.endsWith('owner.json') ? 'gone' : undefined;
  }
}

/** The mtime is compared with the World's clock, the one heartbeats write: a test can age a mutex. */
function isAbandoned(mutexPath: string, holder: MutexHolder | undefined, world: World): boolean {
  if (holder && holder.host === hostname() && !isAlive(holder.pid)) return true;
  try {
    return statSync(mutexPath).mtimeMs < world.now().getTime() - STALE_MS;
  } catch {
    return false; // gone: the next attempt creates it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Move the abandoned mutex aside (atomic: of two recoverers, one wins), then check that what
 * we moved is the mutex we judged abandoned; if a live process took it in between, put
 * its mutex back.
 */
function takeOver(mutexPath: string, judged: MutexHolder | undefined): void {
  const aside = `${mutexPath}.${process.pid}.${randomBytes(4).toString('hex')}.dead`;
  try {
    renameSync(mutexPath, aside);
  } catch {
    return; // someone else recovered it first
  }
  const moved = readHolder(aside);
  const same = judged === undefined ? true : moved !== 'gone' && moved?.token === judged.token;
  if (!same) {
    try {
      linkSync(aside, mutexPath);
    } catch {
      // the slot was taken again meanwhile; that holder's heartbeat will notice
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

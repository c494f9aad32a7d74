import { mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { McpformError } from '../errors.js';
import { stateDir } from '../state/dirs.js';
import { sha256 } from '../targets/json-file.js';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

const OWNER = 'owner.json';

function lockPathFor(target: string, env?: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'locks', `${sha256(target).slice(7, 23)}.lock`);
}

/**
 * An exclusive lock on one client config file (proper-lockfile: an atomic mkdir whose
 * mtime the holder keeps fresh). A second mcpform waits up to `waitMs`, then fails saying
 * who holds it. A holder that died (its pid is gone on this host) is recovered at once;
 * one on another host only once its mtime is stale.
 */
export async function lockTarget(
  target: string,
  opts: { waitMs?: number; env?: NodeJS.ProcessEnv; command?: string } = {},
): Promise<HeldLock> {
  const env = opts.env ?? process.env;
  const waitMs = opts.waitMs ?? Number(env.MCPFORM_LOCK_TIMEOUT_MS ?? 10_000);
  const lockPath = lockPathFor(target, env);
  mkdirSync(join(lockPath, '..'), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        lockfilePath: lockPath,
        realpath: false,
        stale: 10_000,
        update: 2_000,
        onCompromised: (err) => {
          process.stderr.write(
            `Warning: the lock on ${target} was taken over while mcpform held it (${err.message})\n`,
          );
        },
      });
      const holder: LockHolder = {
        pid: process.pid,
        host: hostname(),
        command: opts.command ?? process.argv.slice(2).join(' '),
        since: new Date().toISOString(),
      };
      // Inside the lock dir, so it can never outlive (or predate) the lock it describes. The
      // dir's mtime is proper-lockfile's heartbeat: put it back as it was after the write.
      const { mtime } = statSync(lockPath);
      writeFileSync(join(lockPath, OWNER), JSON.stringify(holder));
      utimesSync(lockPath, mtime, mtime);
      return {
        release: async () => {
          rmSync(join(lockPath, OWNER), { force: true });
          await release().catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      const holder = readHolder(lockPath);
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        breakLock(lockPath, holder.pid);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = holder
          ? `process ${holder.pid} on ${holder.host} (mcpform ${holder.command}, since ${holder.since})`
          : 'another mcpform process';
        throw new McpformError('LOCK_HELD', `${target} is locked by ${who}; nothing was changed`, {
          hint: 'wait for it to finish and run again; if that process is gone, the lock is recovered automatically',
        });
      }
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(lockPath, OWNER), 'utf8')) as LockHolder;
  } catch {
    return undefined;
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

/** Move the dead holder's lock aside first (atomic), so two recoverers cannot both win. */
function breakLock(lockPath: string, deadPid: number): void {
  const aside = `${lockPath}.dead-${deadPid}-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else recovered it first
  }
  const holder = readHolder(aside);
  if (holder && holder.pid !== deadPid) {
    // A live process locked it between our read and the rename: give it back.
    try {
      renameSync(aside, lockPath);
      return;
    } catch {
      // fall through: the slot was taken again, ours is garbage now
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

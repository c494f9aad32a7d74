import { mkdirSync, statSync } from 'node:fs';
import { McpformError } from '../errors.js';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one attempt per level. Node's recursive mkdir retries forever where a parent
 * exists but a child can never be made in it (`/proc/self/x/y`: ENOENT from a directory
 * that exists): here each level is tried once, so it fails instead of hanging. Every
 * directory made gets `mode` (less the umask, as mkdir does). Returns the directories it made,
 * outermost first, so whoever made them can take them away again.
 */
export function makeDir(dir: string, mode = 0o777): string[] {
  let made: string[];
  try {
    return mkdirOnce(dir, mode) ? [dir] : [];
  } catch (err) {
    const parent = dirname(dir);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw err;
    made = makeDir(parent, mode);
  }
  // The parent exists now: a second ENOENT is final.
  return mkdirOnce(dir, mode) ? [...made, dir] : made;
}

/** One mkdir, true when it made the directory; one already there (another process, a moment ago) is success. */
function mkdirOnce(dir: string, mode: number): boolean {
  try {
    mkdirSync(dir, { mode });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) return false;
    throw err;
  }
}

/** makeDir for mcpform's own dirs (state, locks, backups): a failure says which dir and why. */
export function makeOwnDir(dir: string, what: string, hint: string): void {
  try {
    makeDir(dir, 0o700);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new McpformError('WRITE_FAILED', `cannot create ${what} ${dir}: ${e.code ?? e.message} at ${e.path ?? dir}`, {
      hint,
    });
  }
}

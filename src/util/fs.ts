import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Temp file in the same folder, fsync, rename: a reader (or a crash) sees the old file or
 * the new one, never half of one. Keeps an existing file's mode unless one is given.
 * write-file-atomic is loaded only when something is written, to keep plan and validate
 * start-up lean. Callers that may meet a symlink pass `writeTarget(path)`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: { mode?: number } = {},
): Promise<void> {
  const { default: write } = await import('write-file-atomic');
  await write(path, data, { fsync: true, ...(opts.mode === undefined ? {} : { mode: opts.mode }) });
}

/**
 * The file a write to `path` must replace: `path` itself, or, through any chain of
 * symlinks (a dotfiles repo), the file the last link points to — also when that file does
 * not exist yet (a dangling link is written through, never replaced by a regular file).
 */
export function writeTarget(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch {
      return current; // does not exist (yet): this is where the file goes
    }
    current = resolve(dirname(current), link);
  }
  return current; // a loop: the write fails with ELOOP and says so
}

/**
 * Whether an existing file is read-only: no write bit at all (`chmod 444`: the user's way
 * of saying "do not touch"; root could replace it anyway), or not writable by us.
 */
export function isReadOnly(path: string): boolean {
  try {
    if ((statSync(path).mode & 0o222) === 0) return true;
  } catch {
    return false;
  }
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EACCES' || (err as NodeJS.ErrnoException).code === 'EROFS';
  }
}

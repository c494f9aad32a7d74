import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  statSync,
  type Stats,
} from 'node:fs';
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

export type ReadRegular =
  | { ok: true; data: Buffer }
  | { ok: false; reason: 'missing' | 'directory' | 'too-big' | 'unreadable'; code?: string }
  | { ok: false; reason: 'not-a-file'; kind: string };

/**
 * Reads a file that must be a regular file of at most `maxBytes`. A FIFO, a device or a
 * socket is refused instead of read (reading a FIFO waits for a writer forever; /dev/zero
 * never ends): it is opened non-blocking and checked on the open descriptor, so nothing can
 * be swapped in between the check and the read. The size is enforced while reading, not
 * taken from stat.
 */
export function readRegularFile(path: string, maxBytes: number): ReadRegular {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', code };
    if (code === 'EISDIR') return { ok: false, reason: 'directory', code };
    if (code === 'ENXIO') return { ok: false, reason: 'not-a-file', kind: 'a socket' }; // open(2) on a socket
    return { ok: false, reason: 'unreadable', code };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'directory' };
    if (!st.isFile()) return { ok: false, reason: 'not-a-file', kind: fileKind(st) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, reason: 'too-big' };
    }
    return { ok: true, data: Buffer.concat(chunks, total) };
  } catch (err) {
    return { ok: false, reason: 'unreadable', code: (err as NodeJS.ErrnoException).code };
  } finally {
    closeSync(fd);
  }
}

function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * What `path` is when it exists but is neither a regular file nor a directory (a FIFO, a
 * device, a socket), else undefined. stat(2) does not block on a FIFO; read(2) would.
 */
export function irregularFileKind(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  return st.isFile() || st.isDirectory() ? undefined : fileKind(st);
}

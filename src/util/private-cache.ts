import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Files mcpform keeps in its cache dir only to go faster (V8's compiled code in cli/boot.ts,
 * parsed YAML in config/parse-cache.ts). What is read back runs as the user or becomes their
 * config, so a file counts only if the user alone can write it and its dir: owned by them,
 * not a symlink, no group or world write bit (a shared, world-writable or restored cache dir
 * is not used). Windows has no such modes; its per-user LOCALAPPDATA is the boundary there.
 * Anything doubtful (missing, a FIFO, a device, too big, unreadable) is a miss, never a hang
 * or an error: a cache changes nothing but the speed.
 */
const uid = process.getuid?.();
const trusted = (st: { uid: number; mode: number }) => uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);

const dirs = new Map<string, boolean>();
function dirTrusted(dir: string): boolean {
  let ok = dirs.get(dir);
  if (ok === undefined) {
    try {
      const st = lstatSync(dir);
      ok = st.isDirectory() && trusted(st);
    } catch {
      ok = false; // none yet: the first write makes it (0700)
    }
    dirs.set(dir, ok);
  }
  return ok;
}

/** Whether `dir` is private to the user and writable, creating it (0700) if it is missing. */
export function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK); // a read-only file system (a container, a locked-down HOME)
  } catch {
    return false;
  }
  dirs.delete(dir);
  return dirTrusted(dir);
}

/** The file's bytes, or undefined for anything that is not a private regular file of at most `maxBytes`. */
export function readPrivate(dir: string, name: string, maxBytes: number): Buffer | undefined {
  if (!dirTrusted(dir)) return undefined;
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put there must not hang the run; O_NOFOLLOW: nor a symlink lead elsewhere.
    fd = openSync(join(dir, name), constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !trusted(st) || st.size > maxBytes) return undefined;
    const data = Buffer.allocUnsafe(st.size);
    return readSync(fd, data, 0, st.size, 0) === st.size ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes atomically (a reader never sees half a file), mode 0600 in a 0700 dir; nothing when
 * the dir is not private. Throws on a full or read-only disk: callers carry on without.
 */
export function writePrivate(dir: string, name: string, data: Uint8Array): boolean {
  if (!privateDir(dir)) return false;
  const file = join(dir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return true;
}

/**
 * Removes the entries of `dir` that `among` selects once they are `maxAgeMs` old, and the temp
 * files a killed run left after a minute (the caches' own clean-up, after each write).
 */
export function prunePrivate(dir: string, maxAgeMs: number, among: (name: string) => boolean = () => true): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!among(name)) continue;
    const path = join(dir, name);
    if (now - lstatSync(path).mtimeMs > (name.endsWith('.tmp') ? 60_000 : maxAgeMs)) rmSync(path, { force: true });
  }
}

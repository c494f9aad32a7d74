import { lstatSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { cacheDir } from '../state/dirs.js';
import { makeDir } from '../util/make-dir.js';
import type { World } from '../world.js';

/**
 * Where Node keeps mcpform's compiled code (`module.enableCompileCache`, Node 22.1+):
 * `<cache dir>/compile`, or undefined for no cache. Node runs what it finds there, so only a
 * directory the user alone can write counts: owned by them, not a symlink, no group or world
 * write bit (Windows has no such modes; its per-user LOCALAPPDATA is the boundary there).
 * A cache changes nothing but the speed: anything doubtful is no cache, never an error.
 */
export function compileCacheDir(
  world: Pick<World, 'env' | 'platform' | 'home'>,
  uid: number | undefined,
): string | undefined {
  const { env } = world;
  if (env.MCPFORM_NO_CACHE === '1' || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    // Throws without HOME and without a passwd entry (a container's random uid).
    const dir = join(cacheDir(world), 'compile');
    if (!isAbsolute(dir)) return undefined;
    makeDir(dir, 0o700); // one try per level: /proc/self/x fails here instead of hanging
    const st = lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined; // a read-only or full disk, a file in the way
  }
}

import { pathsOf, requireHome, type World } from '../world.js';

type DirWorld = Pick<World, 'env' | 'platform' | 'home'>;

/** MCPFORM_STATE_DIR, else the OS state dir (PRODUCT.md, "Files and where they live"). */
export function stateDir(world: DirWorld): string {
  const { env, platform } = world;
  if (env.MCPFORM_STATE_DIR) return env.MCPFORM_STATE_DIR;
  const { join } = pathsOf(world);
  if (platform === 'darwin') return join(requireHome(world), 'Library', 'Application Support', 'mcpform');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(requireHome(world), 'AppData', 'Local'), 'mcpform');
  return join(env.XDG_STATE_HOME || join(requireHome(world), '.local', 'state'), 'mcpform');
}

/** MCPFORM_CACHE_DIR, else the OS cache dir: what can be fetched again (git imports). */
export function cacheDir(world: DirWorld): string {
  const { env, platform } = world;
  if (env.MCPFORM_CACHE_DIR) return env.MCPFORM_CACHE_DIR;
  const { join } = pathsOf(world);
  if (platform === 'darwin') return join(requireHome(world), 'Library', 'Caches', 'mcpform');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(requireHome(world), 'AppData', 'Local'), 'mcpform', 'cache');
  return join(env.XDG_CACHE_HOME || join(requireHome(world), '.cache'), 'mcpform');
}

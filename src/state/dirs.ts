import { homedir } from 'node:os';
import { join } from 'node:path';

/** MCPFORM_STATE_DIR, else the OS state dir (PRODUCT.md, "Files and where they live"). */
export function stateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MCPFORM_STATE_DIR) return env.MCPFORM_STATE_DIR;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mcpform');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'mcpform');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'mcpform');
}

/** MCPFORM_CACHE_DIR, else the OS cache dir: what can be fetched again (git imports). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MCPFORM_CACHE_DIR) return env.MCPFORM_CACHE_DIR;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'mcpform');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'mcpform', 'cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'mcpform');
}

import { McpformError } from '../errors.js';
import { pathsOf, requireHome, type World } from '../world.js';

type DirWorld = Pick<World, 'env' | 'platform' | 'home'>;

/** MCPFORM_STATE_DIR, else the OS state dir (PRODUCT.md, "Files and where they live"). */
export function stateDir(world: DirWorld): string {
  const { env, platform } = world;
  const own = ownDir(world, 'MCPFORM_STATE_DIR');
  if (own) return own;
  const { join } = pathsOf(world);
  if (platform === 'darwin') return join(requireHome(world), 'Library', 'Application Support', 'mcpform');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(requireHome(world), 'AppData', 'Local'), 'mcpform');
  return join(xdgDir(env, 'XDG_STATE_HOME') || join(requireHome(world), '.local', 'state'), 'mcpform');
}

/** What to check when the state dir cannot be made. */
export const STATE_DIR_HINT = 'set MCPFORM_STATE_DIR to a folder you can write, or fix the permissions of this one';

/** MCPFORM_CACHE_DIR, else the OS cache dir: what can be fetched again (git imports). */
export function cacheDir(world: DirWorld): string {
  const { env, platform } = world;
  const own = ownDir(world, 'MCPFORM_CACHE_DIR');
  if (own) return own;
  const { join } = pathsOf(world);
  if (platform === 'darwin') return join(requireHome(world), 'Library', 'Caches', 'mcpform');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(requireHome(world), 'AppData', 'Local'), 'mcpform', 'cache');
  return join(xdgDir(env, 'XDG_CACHE_HOME') || join(requireHome(world), '.cache'), 'mcpform');
}

/**
 * A relative MCPFORM_*_DIR would be a folder of whatever project mcpform runs in: a cloned
 * repository could ship cache entries (compiled code, parsed YAML) or state there. The user
 * asked for a dir, so a wrong one is an error, not a silent default.
 */
function ownDir(world: DirWorld, name: string): string | undefined {
  const value = world.env[name];
  if (!value) return undefined;
  if (pathsOf(world).isAbsolute(value)) return value;
  throw new McpformError('USAGE', `${name} is '${value}', a relative path; it must be absolute`, {
    hint: `set ${name} to an absolute path (a relative one would be a folder of the current project), or unset it`,
  });
}

/** The XDG Base Directory spec: a relative path in these variables is invalid and ignored. */
function xdgDir(env: DirWorld['env'], name: string): string | undefined {
  const value = env[name];
  return value && value.startsWith('/') ? value : undefined;
}

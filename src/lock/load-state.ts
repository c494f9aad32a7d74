import { findConfig } from '../config/find.js';
import type { GitLoadOptions } from '../config/git/host.js';
import type { DesiredState } from '../config/types.js';
import type { World } from '../world.js';
import { readGitPins } from './git-pins.js';

/**
 * find -> load, the first two stages of every command that reads mcp.yaml: the file (`-f`,
 * else MCPFORM_FILE, else found upward from the cwd) and its imports, for one environment,
 * git imports at mcp.lock's pins. Here because the loader takes those pins (and the client
 * registry) from its caller: lock/ is the lowest layer that has both.
 */
export async function loadState(
  world: World,
  req: { file?: string; environment?: string; git?: GitLoadOptions },
): Promise<DesiredState> {
  const file = await findConfig(req.file, world);
  // Loaded on first use: the loader and its schema are most of what `plan` reads at start.
  const [{ loadDesiredWithImports }, { clientCatalog }] = await Promise.all([
    import('../config/load.js'),
    import('../targets/index.js'),
  ]);
  return loadDesiredWithImports(file, {
    environment: req.environment,
    world,
    git: req.git,
    clients: clientCatalog,
    gitPins: readGitPins,
  });
}

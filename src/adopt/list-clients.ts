import { dirname } from 'node:path';
import { findConfig } from '../config/find.js';
import type { TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import type { FoundClient } from '../targets/discover.js';
import type { World } from '../world.js';

/**
 * `mcpform clients`: every MCP client found on this machine, its files, and who manages
 * which of its servers. mcp.yaml, when there is one, says where its targets' files are.
 */
export async function listClients(world: World, req: { file?: string }): Promise<FoundClient[]> {
  const { configDir, declared } = await project(world, req.file);
  const { discoverClients } = await import('../targets/discover.js');
  return discoverClients({ world, configDir, declared });
}

/** mcp.yaml's folder and declared targets when there is one (its variables are not needed here). */
async function project(world: World, file?: string): Promise<{ configDir: string; declared: TargetSpec[] }> {
  try {
    const found = await findConfig(file, world);
    const { readProject } = await import('../config/project.js');
    const { readTargets } = await import('../config/targets.js');
    const { clientCatalog } = await import('../targets/index.js');
    return { configDir: dirname(found), declared: readTargets(readProject(found, world), clientCatalog, [], world) };
  } catch (err) {
    if (err instanceof McpformError) return { configDir: world.cwd, declared: [] };
    throw err;
  }
}

import { existsSync, statSync } from 'node:fs';
import { parse, resolve } from 'node:path';
import { McpformError } from '../errors.js';
import type { World } from '../world.js';

export const CONFIG_NAMES = ['mcp.yaml', 'mcp.yml'];

/**
 * Which mcp.yaml to use: `-f PATH`, else the World's MCPFORM_FILE, else the nearest mcp.yaml /
 * mcp.yml from its cwd upward (like git or cosmiconfig's global search strategy).
 */
export async function findConfig(explicit: string | undefined, world: Pick<World, 'cwd' | 'env'>): Promise<string> {
  const { cwd } = world;
  const given = explicit ?? world.env.MCPFORM_FILE;
  if (given) {
    const p = resolve(cwd, given);
    if (!existsSync(p))
      throw new McpformError('CONFIG_NOT_FOUND', `${given} does not exist`, {
        hint: 'check the path given with -f/--file or MCPFORM_FILE',
      });
    if (statSync(p).isDirectory()) {
      for (const n of CONFIG_NAMES) if (existsSync(resolve(p, n))) return resolve(p, n);
      throw new McpformError('CONFIG_NOT_FOUND', `${given} is a directory without mcp.yaml`);
    }
    return p;
  }
  // A cheap walk first: it is the common case and costs no module load.
  let dir = resolve(cwd);
  const root = parse(dir).root;
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = resolve(dir, n);
      if (existsSync(p)) return p;
    }
    if (dir === root) break;
    dir = resolve(dir, '..');
  }
  throw new McpformError('CONFIG_NOT_FOUND', `no mcp.yaml found in ${cwd} or any folder above it`, {
    hint: "run 'mcpform init' to create one, or point at it with -f PATH",
  });
}

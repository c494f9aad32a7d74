import { dirname } from 'node:path';
import { findConfig } from '../../config/find.js';
import type { TargetSpec } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { visible } from '../../util/mask-terminal.js';
import type { Context } from '../context.js';
import { print, printJson } from '../output.js';

/** `mcpform clients [--json]`: every client found on this machine, its files, who manages what. */
export default async function clients(ctx: Context, flags: { json?: boolean }): Promise<void> {
  const { configDir, declared } = await project(ctx);
  const { discoverClients } = await import('../../targets/discover.js');
  const found = discoverClients({
    world: ctx.world,
    configDir,
    declared,
  });
  if (flags.json || ctx.opts.json) return printJson({ formatVersion: 1, clients: found });
  if (found.length === 0) {
    print('No MCP client found on this machine (none of their config files or folders exist).');
    return;
  }
  const c = ctx.colors;
  for (const f of found) {
    const name = f.scope === 'user' ? f.client : `${f.client} (${f.scope})`;
    print(`${c.bold(name)}  ${visible(f.path)}`);
    if (f.error) print(`    ${c.red('cannot read')}: ${visible(f.error)}`);
    else if (!f.exists) print('    no file yet (the client is installed)');
    else if (f.servers === 0) print('    no servers');
    for (const m of f.managed)
      print(
        `    ${m.servers.length} managed by ${m.by ? visible(m.by) : 'mcpform (mcp.yaml not recorded)'}: ${m.servers.map(visible).join(', ')}`,
      );
    if (f.unmanaged.length) print(`    ${f.unmanaged.length} unmanaged: ${f.unmanaged.map(visible).join(', ')}`);
  }
}

/** mcp.yaml's folder and declared targets when there is one (its variables are not needed here). */
async function project(ctx: Context): Promise<{ configDir: string; declared: TargetSpec[] }> {
  try {
    const file = await findConfig(ctx.opts.file, ctx.world);
    const { readProject } = await import('../../config/project.js');
    const { readTargets } = await import('../../config/targets.js');
    const { clientCatalog } = await import('../../targets/index.js');
    return {
      configDir: dirname(file),
      declared: readTargets(readProject(file, ctx.world), clientCatalog, [], ctx.world),
    };
  } catch (err) {
    if (err instanceof McpformError) return { configDir: ctx.world.cwd, declared: [] };
    throw err;
  }
}

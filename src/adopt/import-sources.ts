import { McpformError } from '../errors.js';
import { discoverClients } from '../targets/discover.js';
import { adapterFor } from '../targets/index.js';
import type { World } from '../world.js';
import type { ImportSource } from './import-clients.js';

export interface SourceContext {
  world: World;
  /** The folder the new mcp.yaml goes in (project scopes). */
  configDir: string;
}

/**
 * The client files `init --import` reads: `--target NAME`, `--from A,B`, or `--from all`
 * (every client found on this machine with at least one server in its default scope). A
 * client named explicitly must have its file; each is read through its adapter.
 */
export function readImportSources(
  from: string,
  ctx: SourceContext,
): { sources: ImportSource[]; unreadable: { client: string; why: string }[] } {
  const found = from === 'all' ? discoverClients(ctx).filter((f) => f.scope === adapterFor(f.client).scopes[0]) : [];
  // --from all passes over a file it cannot read (and says so); a client named explicitly fails.
  const unreadable = found.filter((f) => f.error).map((f) => ({ client: f.client, why: f.error! }));
  const names =
    from === 'all'
      ? found.filter((f) => f.servers > 0 && !f.error).map((f) => f.client)
      : [
          ...new Set(
            from
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
  if (names.length === 0) {
    throw new McpformError('CONFIG_NOT_FOUND', 'no MCP client on this machine has servers to import', {
      hint: "'mcpform clients' lists the clients found and their files",
    });
  }
  const sources = names.map((name) => {
    const adapter = adapterFor(name);
    const spec = { name: adapter.name, base: ctx.configDir };
    const path = adapter.resolvePath(spec, ctx.world);
    const live = adapter.read(path, spec);
    if (!live.exists) {
      throw new McpformError('CONFIG_NOT_FOUND', `there is no ${adapter.name} config at ${path} to import`, {
        hint: "'mcpform clients' lists the clients found on this machine and their files",
      });
    }
    return { adapter, path, entries: live.entries, serversPath: live.serversPath };
  });
  return { sources, unreadable };
}

import type { DesiredServer } from '../../config/types.js';
import { defineClient } from '../define.js';
import type { RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/** The block file mcpform owns: Continue loads every `*.yaml` in `mcpServers/`. */
const BLOCK = 'mcpform.yaml';

function renderContinue(server: DesiredServer, pins: ReadonlyMap<string, string>): RenderedEntry {
  if (server.kind !== 'url') return renderStdio(server, pins, { type: 'stdio' });
  const r = renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'streamable-http' });
  const { headers, ...rest } = r.entry;
  if (!headers) return r;
  // Continue takes headers under requestOptions.
  const sensitive = new Set([...r.sensitive].map((p) => p.replace(/^\/headers\//, '/requestOptions/headers/')));
  return { entry: { ...rest, requestOptions: { headers } }, sensitive };
}

/**
 * Continue (VS Code / JetBrains): mcpform writes its own block file,
 * `~/.continue/mcpServers/mcpform.yaml` (`CONTINUE_GLOBAL_DIR`; `scope: workspace` is
 * `.continue/mcpServers/mcpform.yaml` beside mcp.yaml), never the user's config.yaml. A block
 * is `name`, `version`, `schema: v1` and `mcpServers:` as a LIST of entries naming
 * themselves. launch `cli`: the editors it runs in give extensions the user's shell
 * environment (VS Code resolves it at start-up, also when started from the dock).
 */
export const continueDev = defineClient({
  name: 'continue',
  format: 'yaml',
  scopes: ['user', 'workspace'],
  launch: 'cli',
  // the workspace root in the IDE, its cwd for `cn` (continuedev/continue core/context/mcp; CLIENTS.md).
  serverCwd: 'project',
  windowsStart: 'resolving', // it wraps npx/uvx in cmd.exe /c, and cn uses cross-spawn
  remote: 'native',
  listKey: 'name',
  newFile: { name: 'mcpform', version: '0.0.1', schema: 'v1' },
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'requestOptions'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const { join } = pathsOf(ctx);
    return ctx.scope === 'workspace'
      ? join(ctx.configDir ?? '.', '.continue', 'mcpServers', BLOCK)
      : join(ctx.env.CONTINUE_GLOBAL_DIR || join(ctx.home, '.continue'), 'mcpServers', BLOCK);
  },
  normalize: (entry) => (entry.type === undefined && 'command' in entry ? { type: 'stdio', ...entry } : entry),
  render: (server, pins) => renderContinue(server, pins),
  toCanonical: (entry) => {
    const { type, requestOptions, ...rest } = entry;
    if (typeof entry.url !== 'string') return { ...rest, ...(type === 'stdio' ? {} : { type }) };
    const headers = (requestOptions as { headers?: unknown } | undefined)?.headers;
    return { ...rest, type: type === 'sse' ? 'sse' : 'http', ...(headers ? { headers } : {}) };
  },
});

import type { DesiredServer } from '../../config/types.js';
import { McpformError } from '../../errors.js';
import { defineClient } from '../define.js';
import type { Pins, RenderedEntry } from '../types.js';
import { pathsOf } from '../../world.js';
import { renderMcpRemote, renderRemote, renderStdio, withImpliedType, withoutStdioType } from './render.js';

/** Droid has stdio and Streamable HTTP only: an SSE-only server goes through mcp-remote. */
function render(server: DesiredServer, pins: Pins): RenderedEntry {
  if (server.kind !== 'url' && server.cwd !== undefined) {
    throw new McpformError(
      'UNSUPPORTED_BY_CLIENT',
      `server '${server.name}' sets cwd, which Droid's mcp.json does not document (its stdio fields are command, args, env)`,
      { hint: `remove cwd, or keep the server away from factory with targets: { factory: { servers: [...] } }` },
    );
  }
  if (server.kind !== 'url') return renderStdio(server, pins, { type: 'stdio' });
  if (server.transport === 'sse') {
    const { entry, sensitive } = renderMcpRemote(server);
    return { entry: { type: 'stdio', ...entry }, sensitive };
  }
  return renderRemote(server, { type: 'http' });
}

/**
 * Factory's Droid CLI, `mcpServers` in its mcp.json (docs.factory.ai cli/configuration/mcp):
 * - `user`: `~/.factory/mcp.json`;
 * - `project`: `.factory/mcp.json` beside mcp.yaml.
 * Two transports: `type: stdio` (command, args, env) and `type: http` (url, headers), as
 * `droid mcp add` writes them; `disabled`, `enabledTools`/`disabledTools` and `timeoutMs` are
 * the user's and kept. How Droid reads an entry without `type` is not documented: read here
 * as command -> stdio, url -> http. No SSE: such a server is bridged with mcp-remote. Droid
 * expands variables in mcp.json values, but its syntax is not verified, so `secrets:
 * reference` is not offered; no `cwd` field is documented, so a server with one is refused.
 */
export const factory = defineClient({
  name: 'factory',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'cli',
  // not established from Factory's docs (closed source).
  serverCwd: 'unknown',
  // Factory's docs (Factory Bridge, the same config format) say a bare npx fails on Windows: cmd /c.
  windowsStart: 'plain',
  remote: 'native',
  managedFields: ['type', 'command', 'args', 'env', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.scope === 'project' ? ctx.configDir! : ctx.home, '.factory', 'mcp.json'),
  normalize: withImpliedType,
  toCanonical: withoutStdioType,
  render,
});

import { pathsOf } from '../../world.js';
import { defineClient } from '../define.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Windsurf (Codeium's editor): `~/.codeium/windsurf/mcp_config.json` on every OS (the JetBrains
 * plugin's `~/.codeium/mcp_config.json` is another client). `mcpServers`, entries as Claude
 * Desktop's; a remote server is `serverUrl` (Windsurf also reads `url`, which mcpform replaces
 * with `serverUrl` when it writes the entry) with headers, the transport found by Windsurf
 * itself. Windsurf expands `${env:VAR}` in command, args, env, serverUrl/url and headers, so
 * `secrets: reference` works in every field. Strict JSON: how it treats comments is not
 * documented.
 */
export const windsurf = defineClient({
  name: 'windsurf',
  format: 'json',
  launch: 'gui',
  // not established from Windsurf's docs (closed source; CLIENTS.md launch table: ?).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  variableReference: (name) => '${env:' + name + '}',
  managedFields: ['command', 'args', 'env', 'cwd', 'serverUrl', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.home, '.codeium', 'windsurf', 'mcp_config.json'),
  toCanonical: (entry) => {
    if (entry.serverUrl === undefined) return entry;
    const { serverUrl, url: _url, ...rest } = entry;
    return { url: serverUrl, ...rest };
  },
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server, {}, 'serverUrl') : renderStdio(server, pins)),
});

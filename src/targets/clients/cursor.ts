import { defineClient } from '../define.js';
import { pathsOf } from '../../world.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Cursor: `~/.cursor/mcp.json` (a project's `.cursor/mcp.json` through
 * `targets: { cursor: { path: .cursor/mcp.json } }`). Remote servers are native entries.
 */
export const cursor = defineClient({
  name: 'cursor',
  format: 'json',
  launch: 'gui',
  // not established from Cursor's docs (closed source; CLIENTS.md launch table: ?).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  variableReference: (name) => '${env:' + name + '}',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.home, '.cursor', 'mcp.json'),
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
});

import { pathsOf } from '../../world.js';
import { defineClient } from '../define.js';
import { renderRemote, renderStdio } from './render.js';

/**
 * Kiro (the IDE and the Kiro CLI share these files): user `~/.kiro/settings/mcp.json`,
 * `scope: workspace` the `.kiro/settings/mcp.json` beside mcp.yaml (Kiro lets the workspace
 * file win). `mcpServers`; stdio entries as Claude Desktop's, remote ones `url` + `headers`
 * (no `type`). disabled, autoApprove and disabledTools are the user's.
 *
 * No `secrets: reference`: Kiro expands `${VAR}` only in env and headers, and only for
 * variables the user approved in Kiro's own settings (`mcpApprovedEnvVars`); any other
 * reference reaches the server as the literal `${VAR}` (kiro.dev/docs/mcp/security). mcpform
 * can neither see nor set that list, so a check would pass where Kiro then fails.
 */
export const kiro = defineClient({
  name: 'kiro',
  format: 'json',
  scopes: ['user', 'workspace'],
  // The IDE's GUI environment is the stricter one; a server that starts there also starts
  // from the CLI's shell.
  launch: 'gui',
  // not established from Kiro's docs (closed source; CLIENTS.md launch table: ?).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) => {
    const j = pathsOf(ctx).join;
    return j(ctx.scope === 'workspace' ? ctx.configDir! : ctx.home, '.kiro', 'settings', 'mcp.json');
  },
  render: (server, pins) => (server.kind === 'url' ? renderRemote(server) : renderStdio(server, pins)),
});

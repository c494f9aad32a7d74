import { defineClient } from '../define.js';
import { pathsOf } from '../../world.js';
import { renderMcpRemote, renderStdio } from './render.js';

/**
 * JetBrains IDEs through Junie, JetBrains' coding agent, `mcpServers` in its mcp.json:
 * - `user`: `~/.junie/mcp/mcp.json`;
 * - `project`: `.junie/mcp/mcp.json` beside mcp.yaml.
 * Junie "supports only MCP servers that use the stdio transport" (jetbrains.com/help/junie,
 * Model Context Protocol), with Claude Desktop's command, args, env: a remote server is
 * bridged with mcp-remote. The two paths are the ones the task and other tools' source name
 * (CLIENTS.md; the JetBrains page read did not list them): not verified in JetBrains' docs.
 * Strict JSON (comments: not documented); no variable expansion documented, so `secrets:
 * reference` is not offered. Copilot for JetBrains (`servers` in github-copilot/intellij/
 * mcp.json) is another client, not covered here: its paths per OS are not verified.
 */
export const jetbrains = defineClient({
  name: 'jetbrains',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'gui',
  // not established from JetBrains' docs.
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'mcp-remote',
  managedFields: ['command', 'args', 'env', 'cwd'],
  serversPath: () => ['mcpServers'],
  resolvePath: (ctx) =>
    pathsOf(ctx).join(ctx.scope === 'project' ? ctx.configDir! : ctx.home, '.junie', 'mcp', 'mcp.json'),
  render: (server, pins) => (server.kind === 'url' ? renderMcpRemote(server) : renderStdio(server, pins)),
});

import { pathsOf } from '../../world.js';
import { defineClient } from '../define.js';
import { renderRemote, renderStdio, withImpliedType, withoutStdioType } from './render.js';

/**
 * Visual Studio 2022 17.14+ / 2026 (Copilot agent mode), `servers` in a `.mcp.json`
 * (MicrosoftDocs/visualstudio-docs docs/ide/mcp-servers.md, "File locations for automatic
 * discovery"):
 * - `user`: `%USERPROFILE%\.mcp.json`, loaded for every solution;
 * - `project`: `<SOLUTIONDIR>\.mcp.json`, here beside mcp.yaml. The same file Claude Code,
 *   Copilot and Qwen Code read (`mcpServers`); Visual Studio's own map is `servers`, so
 *   each keeps its map and the rest of the file is kept.
 * Entries in VS Code's shape: `type` stdio (command, args, env) or http/sse (url,
 * headers); the docs' own example leaves `type` out of a url entry, read here as VS Code
 * does (command: stdio, url: http). Strict JSON, as the other readers of `.mcp.json` need.
 * Variable expansion (`${env:VAR}` as VS Code) is not documented for Visual Studio, so
 * `secrets: reference` is not offered; `cwd` support is not documented either.
 */
export const visualStudio = defineClient({
  name: 'visual-studio',
  format: 'json',
  scopes: ['user', 'project'],
  launch: 'gui',
  // not documented (the docs only say it sends the solution folders as MCP roots).
  serverCwd: 'unknown',
  windowsStart: 'plain', // not verified: the form every client starts
  remote: 'native',
  managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  serversPath: () => ['servers'],
  resolvePath: (ctx) => pathsOf(ctx).join(ctx.scope === 'project' ? ctx.configDir! : ctx.home, '.mcp.json'),
  normalize: withImpliedType,
  toCanonical: withoutStdioType,
  render: (server, pins) =>
    server.kind === 'url'
      ? renderRemote(server, { type: server.transport === 'sse' ? 'sse' : 'http' })
      : renderStdio(server, pins, { type: 'stdio' }),
});
